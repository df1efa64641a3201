package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pm2's ecosystem.config.js (through a real node) and .json: mapped, ignored options warned about, validated. */
class Pm2FilesTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(tmp.resolve("server.js"), "// test\n");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content);
    }

    private static String shown(Path file) {
        return EcosystemLoader.displayName(file.toAbsolutePath().normalize());
    }

    @Test
    void aJsFileIsRequiredByNodeAndMapped() throws IOException {
        var file = write("ecosystem.config.js", """
                const base = { NODE_ENV: 'development' };
                console.log('a config file that talks');   // must not spoil the JSON
                module.exports = {
                  apps: [{
                    name: 'api',
                    script: './server.js',
                    instances: 0,               // pm2: one per CPU
                    exec_mode: 'cluster',
                    watch: true,
                    node_args: '--max-old-space-size=512',
                    kill_timeout: 3000,
                    exp_backoff_restart_delay: 100,
                    env: base,
                    env_production: { NODE_ENV: 'production', PORT_HINT: 8000 + 80 },
                  }, {
                    name: 'worker',
                    script: 'sleep',           // a program on PATH, as pm2 allows
                    args: '1000',
                  }],
                  deploy: { production: { user: 'node' } },
                };
                """);
        var r = assertInstanceOf(LoadResult.Loaded.class, EcosystemLoader.loadFile(file, "production"));
        var api = r.apps().get(0);
        assertEquals(Runtime.getRuntime().availableProcessors(), api.instances());
        assertEquals(List.of("node", "--max-old-space-size=512", tmp.resolve("server.js").toString()), api.process().command());
        assertEquals(3000, api.process().killTimeoutMs());
        assertEquals(100, api.restart().restartDelayMs());
        assertEquals(Map.of("NODE_ENV", "production", "PORT_HINT", "8080"), api.process().env());
        assertEquals(List.of("sleep", "1000"), r.apps().get(1).process().command());
        assertEquals(List.of(Listen.SOCKET, true), List.of(api.network().listen(), api.network().learnsPort()),
                "exec_mode: cluster is listen: auto: without a port, the preload learns the one the app listens on");
        String f = shown(file);
        assertEquals(List.of(
                f + ": apps[0].exec_mode: read as listen: auto (" + Pm2Compat.CLUSTER_AS_AUTO + ")",
                f + ": apps[0].exp_backoff_restart_delay: read as restart_delay",
                f + ": apps[1].script: \"sleep\" is not a file in the app's cwd; run as command: sleep",
                f + ": deploy: ignored; zdm does not deploy code (see docs/migrating-from-pm2.md)"),
                r.warnings().stream().filter(w -> !w.contains("workers and no port")).toList()); // instances: max varies
    }

    @Test
    void errorsInAJsFileNameTheKeyPathWithoutAPosition() throws IOException {
        var file = write("bad.config.js", "module.exports = { apps: [{ name: 'x', script: 'server.js', instanses: 2 }] };\n");
        var r = assertInstanceOf(LoadResult.Invalid.class, EcosystemLoader.loadFile(file));
        assertEquals(List.of(shown(file) + ": apps[0].instanses: unknown key; did you mean \"instances\"?"),
                r.errors().stream().map(ConfigError::format).toList());
    }

    @Test
    void aJsFileThatThrowsGivesNodesErrorLine() throws IOException {
        var file = write("broken.config.js", "module.exports = {\n  apps: [ { name: 'x' ]\n};\n");
        var r = assertInstanceOf(LoadResult.Invalid.class, EcosystemLoader.loadFile(file));
        assertEquals(1, r.errors().size());
        assertTrue(r.errors().getFirst().format().startsWith(shown(file) + ": node could not load it: SyntaxError"),
                r.errors().toString());
    }

    @Test
    void aJsonFileKeepsPositions() throws IOException {
        var file = write("ecosystem.json", """
                {
                  "apps": [
                    {
                      "name": "api",
                      "script": "server.js",
                      "merge_logs": true,
                      "instances": "two"
                    }
                  ]
                }
                """);
        var r = assertInstanceOf(LoadResult.Invalid.class, EcosystemLoader.loadFile(file));
        assertEquals(List.of(shown(file) + ":7:20: apps[0].instances: expected a positive integer or \"max\", got \"two\""),
                r.errors().stream().map(ConfigError::format).toList());
    }

    @Test
    void aJsonListOfAppsIsAccepted() throws IOException {
        var file = write("apps.json", "[{\"name\": \"a\", \"script\": \"server.js\", \"log_type\": \"json\"}]");
        var r = assertInstanceOf(LoadResult.Loaded.class, EcosystemLoader.loadFile(file));
        assertEquals("a", r.apps().getFirst().name());
        assertEquals(List.of(), r.warnings());
        assertTrue(r.apps().getFirst().logs().logFiles().json(), "log_type: json is pm2's, read as it is");
        var raw = write("raw.json", "[{\"name\": \"a\", \"script\": \"server.js\", \"log_type\": \"raw\"}]");
        var other = assertInstanceOf(LoadResult.Loaded.class, EcosystemLoader.loadFile(raw));
        assertEquals(List.of(shown(raw) + ": apps[0].log_type: read as text (pm2 writes text for anything but json)"),
                other.warnings());
    }

    @Test
    void envPortBecomesTheAppsPortAfterTheEnvBlockIsMerged() throws IOException {
        var file = write("port.config.js", """
                module.exports = { apps: [{ script: 'server.js', env: { PORT: 3000, A: 'x' }, env_production: { PORT: 8080 } }] };
                """);
        var dev = assertInstanceOf(LoadResult.Loaded.class, EcosystemLoader.loadFile(file));
        assertEquals(3000, dev.apps().getFirst().network().port());
        assertEquals(Map.of("A", "x"), dev.apps().getFirst().process().env(), "PORT is zdm's to set per worker");
        assertEquals(List.of(shown(file) + ": apps[0].env.PORT: read as port: 3000 (the daemon owns the port"
                + " and shares it among the workers)"), dev.warnings());
        var prod = assertInstanceOf(LoadResult.Loaded.class, EcosystemLoader.loadFile(file, "production"));
        assertEquals(8080, prod.apps().getFirst().network().port());
    }

    @Test
    void inYamlPortInEnvIsTheAppsOwnUnlessZdmOwnsAPort() throws IOException {
        var alone = write("alone.yaml", "apps:\n  - name: a\n    script: server.js\n    env: {PORT: 4000}\n");
        var r = assertInstanceOf(LoadResult.Loaded.class, EcosystemLoader.loadFile(alone));
        assertEquals(Map.of("PORT", "4000"), r.apps().getFirst().process().env());
        var both = write("both.yaml", "apps:\n  - name: a\n    script: server.js\n    port: 3000\n    env: {PORT: 4000}\n");
        var bad = assertInstanceOf(LoadResult.Invalid.class, EcosystemLoader.loadFile(both));
        assertEquals(List.of(shown(both) + ":5:11: apps[0].env.PORT: zdm sets PORT to each worker's own port when the app"
                + " has a port: (3000); remove PORT from env"), bad.errors().stream().map(ConfigError::format).toList());
    }

    @Test
    void everyShapePm2ReadsIsRead() throws IOException {
        String app = "{ script: 'server.js', instances: 2 }";
        for (var f : List.of(
                write("pm2key.config.js", "module.exports = { pm2: [" + app + "] };"),
                write("single.config.js", "module.exports = " + app + ";"),
                write("object.config.js", "module.exports = { apps: " + app + " };"),
                write("commented.json", "{\n  // pm2 evaluates .json as JavaScript\n  \"apps\": [{\"script\": \"server.js\","
                        + " \"instances\": 1 + 1},]\n}\n"),
                write("ecosystem.json5", "{ apps: [" + app + "] /* json5 */ }"))) {
            var r = assertInstanceOf(LoadResult.Loaded.class, EcosystemLoader.loadFile(f), f.toString());
            assertEquals("server", r.apps().getFirst().name(), "named after its script, as pm2 does: " + f);
            assertEquals(2, r.apps().getFirst().instances(), f.toString());
        }
    }

    @Test
    void aliasesAreReadAsTheOptionTheyStandFor() throws IOException {
        var file = write("aliases.json", """
                {"apps": [{"name": "a", "exec": "server.js", "output": "o.log", "err_file": "e.log", "error": "e2.log"}]}
                """);
        var r = assertInstanceOf(LoadResult.Loaded.class, EcosystemLoader.loadFile(file));
        assertEquals(tmp.resolve("server.js").toString(), r.apps().getFirst().process().command().getLast());
        String f = shown(file);
        assertEquals(List.of(f + ": apps[0].error: ignored; error_file is set"), r.warnings().stream()
                .filter(w -> w.contains(": ignored; error_file is set")).toList());
    }

    @Test
    void minUptimeAtLeastListenTimeoutIsAccepted() throws IOException {
        var file = write("uptime.json", "{\"apps\": [{\"name\": \"a\", \"script\": \"server.js\","
                + " \"min_uptime\": \"60s\", \"listen_timeout\": 10000}]}");
        var r = assertInstanceOf(LoadResult.Loaded.class, EcosystemLoader.loadFile(file));
        assertEquals(60_000, r.apps().getFirst().restart().minUptimeMs());
    }

    @Test
    void anExtensionlessScriptOrADirectoryRunsWithNodeAsInPm2() throws IOException {
        Files.createDirectories(tmp.resolve("node_modules/next/dist/bin"));
        Files.writeString(tmp.resolve("node_modules/next/dist/bin/next"), "#!/usr/bin/env node\nrequire('x');\n");
        Files.createDirectories(tmp.resolve("api"));
        Files.writeString(tmp.resolve("api/index.js"), "// the package's entry\n");
        Files.writeString(tmp.resolve("run"), "#!/bin/sh\nexec sleep 1\n");
        tmp.resolve("run").toFile().setExecutable(true);
        var file = write("next.config.js", """
                module.exports = { apps: [
                  { name: 'next', script: 'node_modules/next/dist/bin/next', args: 'start', node_args: '--max-old-space-size=512' },
                  { script: './api/' },
                  { name: 'sh', script: './run' },
                ] };
                """);
        var r = assertInstanceOf(LoadResult.Loaded.class, EcosystemLoader.loadFile(file));
        assertEquals(List.of("node", "--max-old-space-size=512", tmp.resolve("node_modules/next/dist/bin/next").toString(),
                "start"), r.apps().get(0).process().command());
        assertEquals("api", r.apps().get(1).name());
        assertEquals(List.of("node", tmp.resolve("api").toString()), r.apps().get(1).process().command());
        assertEquals(List.of(tmp.resolve("run").toString()), r.apps().get(2).process().command(), "another #! program runs itself");
    }

    @Test
    void interpreterNoneWithAProgramOnThePathRunsTheProgram() throws IOException {
        var file = write("py.config.js", """
                module.exports = { apps: [{ name: 'py', script: 'python3', args: '-m http.server 0', interpreter: 'none' }] };
                """);
        var r = assertInstanceOf(LoadResult.Loaded.class, EcosystemLoader.loadFile(file));
        assertEquals(List.of("python3", "-m", "http.server", "0"), r.apps().getFirst().process().command());
    }

    @Test
    void optionsZdmNowHonoursAreReadNotDropped() throws IOException {
        var file = write("honoured.config.js", """
                module.exports = { apps: [{ name: 'a', script: 'server.js', autostart: false, stop_exit_codes: 0,
                  cron_restart: '0 3 * * *', watch: true, watch_delay: 500 },
                  { name: 'b', script: 'server.js', cron: 0, watch: ['lib', 'server.js'], ignore_watch: 'logs' }] };
                """);
        var r = assertInstanceOf(LoadResult.Loaded.class, EcosystemLoader.loadFile(file));
        assertEquals(List.of(), r.warnings());
        var a = r.apps().get(0);
        assertEquals(false, a.autostart());
        assertEquals(List.of(0), a.restart().stopExitCodes());
        assertEquals("0 3 * * *", a.reload().cronRestart());
        assertEquals(List.of(tmp.toString()), a.reload().watch());
        assertEquals(List.of("node_modules", ".*"), a.reload().ignoreWatch(), "pm2's default: dot files and node_modules");
        assertEquals(500, a.reload().watchDelayMs());
        var b = r.apps().get(1);
        assertEquals(null, b.reload().cronRestart(), "pm2's cron_restart: 0 is none");
        assertEquals(List.of(tmp.resolve("lib").toString(), tmp.resolve("server.js").toString()), b.reload().watch());
        assertEquals(List.of("logs"), b.reload().ignoreWatch());
        assertEquals(true, b.autostart());
    }

    @Test
    void badTriggerValuesAreRefusedWithTheirPosition() throws IOException {
        var file = write("bad.yaml", """
                apps:
                  - name: a
                    script: server.js
                    cron_restart: "0 25 * * *"
                    stop_exit_codes: [0, 300]
                """);
        var r = assertInstanceOf(LoadResult.Invalid.class, EcosystemLoader.loadFile(file));
        assertEquals(List.of(shown(file) + ":4:19: apps[0].cron_restart: hours: expected 0 to 23, got \"25\"",
                shown(file) + ":5:26: apps[0].stop_exit_codes[1]: expected an exit code from 0 to 255, got 300"),
                r.errors().stream().map(ConfigError::format).toList());
    }

    @Test
    void severalWorkersWithoutAPortGetAWarningNamingTheFix() throws IOException {
        // A Node app (server.js) learns its port instead: only programs zdm cannot ask get the warning.
        var file = write("cluster.yaml", "apps:\n  - name: a\n    script: server.py\n    instances: 2\n"
                + "  - name: b\n    script: server.py\n    instances: 2\n    port: 3000\n"
                + "  - name: c\n    script: server.js\n    instances: 2\n");
        write("server.py", "");
        var r = assertInstanceOf(LoadResult.Loaded.class, EcosystemLoader.loadFile(file));
        assertEquals(List.of(shown(file) + ": apps[0]: 2 workers and no port; if the app listens on a port, set port:"
                + " (zdm then shares it between the workers), or every worker but the first fails to bind it"), r.warnings());
        var inline = assertInstanceOf(LoadResult.Loaded.class, EcosystemLoader.loadInline(
                Map.of("name", "api", "script", tmp.resolve("server.py").toString(), "instances", 3), tmp));
        assertEquals(List.of("api: 3 workers and no port; if the app listens on a port, set --port (zdm then shares it"
                + " between the workers), or every worker but the first fails to bind it"), inline.warnings());
    }

    @Test
    void appendEnvToNameNamesTheAppAfterTheEnvAsPm2Does() throws IOException {
        var file = write("envs.json", "{\"apps\": [{\"name\": \"api\", \"script\": \"server.js\", \"append_env_to_name\": true,"
                + " \"env_production\": {\"A\": \"1\"}}]}");
        var production = assertInstanceOf(LoadResult.Loaded.class, EcosystemLoader.loadFile(file, "production"));
        assertEquals("api-production", production.apps().getFirst().name());
        assertEquals(List.of(), production.warnings());
        var plain = assertInstanceOf(LoadResult.Loaded.class, EcosystemLoader.loadFile(file));
        assertEquals("api", plain.apps().getFirst().name(), "without --env the name stays, as in pm2");
    }
}
