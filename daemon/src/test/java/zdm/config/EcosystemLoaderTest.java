package zdm.config;

import zdm.net.ProxyProtocol;
import zdm.proc.Signal;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Valid files: what each key turns into, and the defaults. */
class EcosystemLoaderTest extends EcoDirTest {
    @Test
    void everyKeySet() {
        eco.mkdir("srv");
        Path script = eco.script("srv/main.js");
        eco.yaml(
                "apps:",
                "  - name: web.v2_a-b",
                "    script: main.js",
                "    interpreter: /opt/node/bin/node",
                "    interpreter_args: --max-old-space-size=512 --enable-source-maps",
                "    args: [--listen, 8080, 'a b']",
                "    shell: false",
                "    cwd: srv",
                "    env: {A: x, B: 2, C: true, D: 1.50}",
                "    instances: 3",
                "    port: 3000",
                "    kill_timeout: 1.5s",
                "    stop_signal: INT",
                "    autorestart: false",
                "    max_restarts: 0",
                "    min_uptime: 2m",
                "    restart_delay: 250",
                "    restart_delay_max: 1h",
                "    max_memory_restart: 300M",
                "    ready: {http: /health}",
                "    listen_timeout: 1m",
                "    reload_parallel: 2",
                "    protocol: http",
                "    log_max_size: 1M",
                "    log_max_files: 2");
        assertEquals(AppSpec.builder("web.v2_a-b",
                List.of("/opt/node/bin/node", "--max-old-space-size=512", "--enable-source-maps", script.toString(),
                        "--listen", "8080", "a b"))
                .cwd(tmp.resolve("srv").toString()).env(Map.of("A", "x", "B", "2", "C", "true", "D", "1.50"))
                .instances(3).port(3000).killTimeoutMs(1500).stopSignal(Signal.SIGINT).autorestart(false).maxRestarts(0)
                .minUptimeMs(120_000).restartDelayMs(250).restartDelayMaxMs(3_600_000).maxMemoryBytes(300L << 20)
                .source(eco.file.toString()).ready(new Readiness.Http("/health")).listenTimeoutMs(60_000)
                .reloadParallel(2).protocol(ProxyProtocol.HTTP).logMaxBytes(1L << 20).logMaxFiles(2).listen(Listen.PROXY).build(), eco.app());
    }

    @Test
    void defaults() {
        Path script = eco.script("app.js");
        eco.yaml("apps:", "  - name: web", "    script: app.js");
        assertEquals(AppSpec.builder("web", List.of("node", script.toString())).cwd(tmp.toString())
                .source(eco.file.toString()).ready(new Readiness.Listening()).listen(Listen.SOCKET).build(), eco.app(),
                "a Node app without port: learns the port it listens on (ready at its listening event, else after min_uptime)");
    }

    @Test
    void emptyEnvValueIsTheEmptyString() {
        eco.script("app.js");
        eco.yaml("apps:", "  - name: web", "    script: app.js", "    env:", "      EMPTY:", "      QUOTED: ''");
        assertEquals(Map.of("EMPTY", "", "QUOTED", ""), eco.app().process().env());
    }

    @Test
    void yaml11BooleansAreAccepted() {
        eco.script("app.js");
        eco.yaml("apps:", "  - {name: a, script: app.js, autorestart: no}", "  - {name: b, script: app.js, autorestart: on}");
        assertEquals(List.of(false, true), eco.apps().stream().map(s -> s.restart().autorestart()).toList());
    }

    @Test
    void severalAppsInFileOrder() {
        eco.script("a.py");
        eco.script("b.py");
        eco.yaml("apps:", "  - {name: a, script: a.py, port: 3000}", "  - {name: b, script: b.py, port: 3001}");
        assertEquals(List.of("a", "b"), eco.apps().stream().map(AppSpec::name).toList());
    }

    @ParameterizedTest
    @CsvSource({
            "app.js, node",
            "app.mjs, node",
            "app.cjs, node",
            "app.py, python3",
            "app.jar, java -jar",
            "App.java, java",
            "run.sh, sh",
            "SERVER.JS, node"})
    void interpreterInferredFromExtension(String scriptName, String interpreter) {
        Path script = eco.script(scriptName);
        eco.yaml("apps:", "  - name: x", "    script: " + scriptName, "    args: --port 1");
        var expected = new java.util.ArrayList<>(List.of(interpreter.split(" ")));
        expected.addAll(List.of(script.toString(), "--port", "1"));
        assertEquals(expected, eco.app().process().command());
    }

    @Test
    void interpreterArgsGoBeforeJavaJar() {
        Path jar = eco.script("app.jar");
        eco.yaml("apps:", "  - name: x", "    script: app.jar", "    interpreter_args: [-Xmx1g]");
        assertEquals(List.of("java", "-Xmx1g", "-jar", jar.toString()), eco.app().process().command());
    }

    @Test
    void nodeArgsIsAcceptedAsPm2Alias() {
        Path js = eco.script("app.js");
        eco.yaml("apps:", "  - name: x", "    script: app.js", "    node_args: --inspect");
        assertEquals(List.of("node", "--inspect", js.toString()), eco.app().process().command());
    }

    @Test
    void executableWithoutKnownExtensionRunsDirectly() {
        Path bin = eco.executable("bin/server");
        eco.yaml("apps:", "  - name: x", "    script: bin/server", "    args: [a]");
        assertEquals(List.of(bin.toString(), "a"), eco.app().process().command());
    }

    @Test
    void interpreterNoneRunsAKnownExtensionDirectly() {
        Path sh = eco.executable("run.sh");
        eco.yaml("apps:", "  - name: x", "    script: run.sh", "    interpreter: none");
        assertEquals(List.of(sh.toString()), eco.app().process().command());
    }

    @Test
    void namedInterpreterOverridesInference() {
        Path py = eco.script("app.py");
        eco.yaml("apps:", "  - name: x", "    script: app.py", "    interpreter: ./venv/bin/python");
        assertEquals(List.of(tmp.resolve("venv/bin/python").toString(), py.toString()), eco.app().process().command());
    }

    @Test
    void commandStringIsSplitLikeAShellWithoutExpansion() {
        eco.yaml("apps:", "  - name: x",
                "    command: 'printf \"%s|\" ''single $HOME'' \"dq \\\"x\\\" $PATH\" plain\\ word'",
                "    args: \"tail *\"");
        assertEquals(List.of("printf", "%s|", "single $HOME", "dq \"x\" $PATH", "plain word", "tail", "*"),
                eco.app().process().command());
    }

    @Test
    void commandListIsTakenAsIsAndArgsAppended() {
        eco.yaml("apps:", "  - name: x", "    command: [sleep, 10]", "    args: [extra]");
        assertEquals(List.of("sleep", "10", "extra"), eco.app().process().command());
    }

    @Test
    void relativeProgramInCommandResolvesAgainstCwd() {
        eco.mkdir("app");
        eco.yaml("apps:", "  - name: x", "    cwd: app", "    command: ./bin/server --fast");
        var app = eco.app();
        assertEquals(List.of(tmp.resolve("app/bin/server").toString(), "--fast"), app.process().command());
        assertEquals(tmp.resolve("app").toString(), app.process().cwd());
    }

    @Test
    void shellTrueRunsTheStringWithBinSh() {
        eco.yaml("apps:", "  - name: x", "    command: npm run build && exec node dist/main.js", "    shell: true");
        assertEquals(List.of("/bin/sh", "-c", "npm run build && exec node dist/main.js"), eco.app().process().command());
    }

    @Test
    void instancesMaxAndMinusOneMeanOnePerCpu() {
        eco.script("a.js");
        int cpus = Runtime.getRuntime().availableProcessors();
        eco.yaml("apps:", "  - {name: a, script: a.js, instances: max}", "  - {name: b, script: a.js, instances: -1}");
        assertEquals(List.of(cpus, cpus), eco.apps().stream().map(AppSpec::instances).toList());
    }

    @Test
    void logRotationDefaultsTo10MAnd5FilesAndZeroSizeTurnsItOff() {
        eco.script("a.js");
        eco.yaml("apps:", "  - {name: a, script: a.js}", "  - {name: b, script: a.js, log_max_size: 0, log_max_files: 0}");
        var apps = eco.apps();
        assertEquals(List.of(10L << 20, 5), List.of(apps.get(0).logs().logMaxBytes(), apps.get(0).logs().logMaxFiles()));
        assertEquals(List.of(0L, 0), List.of(apps.get(1).logs().logMaxBytes(), apps.get(1).logs().logMaxFiles()));
    }

    @Test
    void durationsAndSizesInEveryForm() {
        eco.script("a.js");
        eco.yaml("apps:", "  - name: a", "    script: a.js", "    kill_timeout: 0", "    min_uptime: '1500'",
                "    restart_delay: 250ms", "    restart_delay_max: 2m", "    max_memory_restart: 1G");
        var app = eco.app();
        assertEquals(List.of(0L, 1500L, 250L, 120_000L, 1L << 30),
                List.of(app.process().killTimeoutMs(), app.restart().minUptimeMs(), app.restart().restartDelayMs(), app.restart().restartDelayMaxMs(),
                        app.restart().maxMemoryBytes()));
    }

    @Test
    void anchorsAndMergeKeysShareSettings() {
        eco.script("a.js");
        eco.yaml("defaults: &defaults",
                "  script: a.js",
                "  env: {MODE: prod}",
                "apps:",
                "  - <<: *defaults",
                "    name: a",
                "  - <<: *defaults",
                "    name: b",
                "    env: {MODE: dev}");
        // "defaults" is not an allowed top-level key: anchors must live inside apps.
        assertEquals(List.of("eco:1:1: defaults: unknown key (app settings go under apps:)"), eco.errors());

        eco.yaml("apps:",
                "  - &a",
                "    name: a",
                "    script: a.js",
                "    env: {MODE: prod}",
                "  - <<: *a",
                "    name: b",
                "    env: {MODE: dev}");
        var apps = eco.apps();
        assertEquals(List.of("a", "b"), apps.stream().map(AppSpec::name).toList());
        assertEquals(List.of(Map.of("MODE", "prod"), Map.of("MODE", "dev")), apps.stream().map(s -> s.process().env()).toList());
        assertEquals(apps.get(0).process().command(), apps.get(1).process().command());
    }

    @Test
    void fileUnderTheWorkingDirectoryIsShownRelative() throws Exception {
        Path workingDir = Path.of("").toAbsolutePath();
        Path dir = Files.createTempDirectory(workingDir.resolve("target"), "eco-");
        try {
            Path file = Files.writeString(dir.resolve("ecosystem.yaml"), "apps:\n  - name: x\n    instances: two\n");
            var invalid = (LoadResult.Invalid) EcosystemLoader.loadFile(file);
            String shown = workingDir.relativize(file).toString();
            assertEquals(shown + ":3:16: apps[0].instances: expected a positive integer or \"max\", got \"two\"",
                    invalid.errors().get(1).format());
            assertEquals(shown, invalid.errors().get(0).file());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
