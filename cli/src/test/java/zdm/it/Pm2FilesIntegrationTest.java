package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import zdm.net.FreePorts;
import zdm.protocol.AppView;
import zdm.protocol.WorkerView;
import zdm.test.Await;

/**
 * pm2 ecosystem files written the way pm2 users write them (cli/src/test/resources/pm2, one file per
 * habit, quoted by docs/migrating-from-pm2.md), each started unchanged with {@code zdm start} and checked
 * for what it must do. One daemon serves the whole class: the files' apps have distinct names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Pm2FilesIntegrationTest {
    ZdmHome z;
    Path dir;
    /** The files' ports 3000..3003, each replaced by a free one. */
    final Map<String, Integer> ports = new java.util.LinkedHashMap<>();

    @BeforeAll
    void copyTheFiles() throws Exception {
        z = new ZdmHome();
        z.env.put("ZDM_TEST_TAG", z.tag); // the daemon's environment, so every worker carries it
        for (String p : List.of("3000", "3001", "3002", "3003")) ports.put(p, FreePorts.reserve());
        dir = z.dir.resolve("pm2");
        Path source;
        try {
            source = Path.of(Pm2FilesIntegrationTest.class.getResource("/pm2").toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        try (var files = Files.walk(source)) {
            for (var f : files.filter(Files::isRegularFile).toList()) {
                var to = dir.resolve(source.relativize(f).toString());
                Files.createDirectories(to.getParent());
                String text = Files.readString(f);
                for (var p : ports.entrySet()) text = text.replace(p.getKey(), p.getValue().toString());
                Files.writeString(to, text);
            }
        }
    }

    @AfterAll
    void stopTheDaemon() {
        z.close();
    }

    private CliResult start(String file) {
        return z.ok("start", "pm2/" + file);
    }

    private int port(String inFile) {
        return ports.get(inFile);
    }

    /** pm2's cluster habit: exec_mode: cluster is listen: auto, so the Node workers share the port's socket. */
    @Test
    void envPortIsTheSharedPortOfAClusterApp() throws Exception {
        var r = start("cluster-env-port.config.js");
        assertTrue(r.out().contains("apps[0].env.PORT: read as port: " + port("3000")), r.toString());
        assertTrue(r.out().contains("apps[0].exec_mode: read as listen: auto"), r.toString());
        assertEquals(2, z.app("web").onlineCount(), r.toString());
        assertTrue(z.ok("describe", "web").out().contains("port:       " + port("3000") + " (listen: socket,"),
                "a Node app in cluster mode accepts on the shared socket itself");
        for (long pid : z.pids("web")) {
            assertTrue(java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/" + pid + "/fd/3")).toString()
                    .startsWith("socket:"), "worker " + pid + " holds the port's socket as fd 3");
        }
        // One accept queue, two workers woken for each connection: over many connections both take some.
        var pids = new HashSet<String>();
        for (int i = 0; i < 300 && pids.size() < 2; i++) pids.add(Http.get(port("3000"), "/").body().strip());
        assertEquals(2, pids.size(), "both workers answer on the app's port: " + pids);
    }

    @Test
    void anAppWithoutNameIsNamedAfterItsScript() {
        start("nameless.config.js");
        assertEquals(AppView.Status.RUNNING, z.app("worker").status());
    }

    @Test
    void aConfigJsSeesTheEnvironmentOfTheCommandNotTheDaemons() {
        z.ok("ls"); // the daemon runs, started without DEPLOY_COLOUR
        z.env.put("DEPLOY_COLOUR", "blue");
        try {
            var r = start("caller-env.config.js");
            assertEquals(AppView.Status.RUNNING, z.app("deploy-blue").status(), r + "\n" + z.ok("ls").out());
        } finally {
            z.env.remove("DEPLOY_COLOUR");
        }
        z.ok("delete", "deploy-blue");
    }

    @Test
    void pm2sAliasesAreRead() {
        var r = start("aliases.config.js");
        assertEquals(AppView.Status.RUNNING, z.app("aliased").status(), r.toString());
        assertTrue(z.app("aliased").workers().getFirst().pid() > 0);
        assertTrue(cmdline(z.pids("aliased").getFirst()).contains("--max-old-space-size=128"), "interpreterArgs reached node");
    }

    @Test
    void everyFileShapePm2ReadsStarts() {
        for (var file : Map.of("pm2-key.json", "under-pm2-key", "single-app.config.js", "single",
                "apps-object.config.js", "apps-object", "commented.json", "commented", "ecosystem.json5", "json5").entrySet()) {
            var r = start(file.getKey());
            assertEquals(AppView.Status.RUNNING, z.app(file.getValue()).status(), file + ": " + r);
        }
        assertEquals(2, z.app("commented").instances(), "instances: 1 + 1, evaluated as pm2 does");
    }

    @Test
    void interpreterNoneRunsAProgramFromThePath() throws Exception {
        start("program-on-path.config.js");
        Await.until(ZdmHome.SHORT, () -> answers(port("3001")), "python3 -m http.server answers");
    }

    @Test
    void nodeArgsWithAnExtensionlessScriptRunWithNode() throws Exception {
        start("node-args.config.js");
        long pid = z.pids("serve").getFirst();
        String cmd = cmdline(pid);
        assertTrue(cmd.contains("node\0--max-old-space-size=192\0"), cmd.replace('\0', ' '));
        assertEquals(200, Http.get(port("3002"), "/").status());
    }

    @Test
    void aDirectoryAsScriptRunsItsIndex() {
        start("directory.config.js");
        assertEquals(AppView.Status.RUNNING, z.app("api").status());
    }

    @Test
    void minUptimeLongerThanListenTimeoutStarts() {
        var r = start("slow-uptime.config.js");
        assertEquals(AppView.Status.RUNNING, z.app("steady").status(), r.toString());
    }

    @Test
    void npmStartRuns() throws Exception {
        start("npm-start.config.js");
        assertEquals(200, Http.get(port("3003"), "/").status());
    }

    private static boolean answers(int port) {
        try {
            return Http.get(port, "/").status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static String cmdline(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cmdline"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void autostartFalseRegistersWithoutStarting() {
        var r = start("autostart.config.js");
        assertTrue(r.out().contains("on-demand not started: autostart: false"), r.toString());
        assertEquals(AppView.Status.STOPPED, z.app("on-demand").status(), r.toString());
        assertEquals(AppView.Status.RUNNING, z.app("always").status());
        z.ok("start", "on-demand");
        assertEquals(AppView.Status.RUNNING, z.app("on-demand").status());
    }

    @Test
    void anExitWithAStopExitCodeIsNotRestarted() {
        start("stop-exit-codes.config.js");
        Await.until(ZdmHome.SHORT, () -> z.app("job").workers().getFirst().state() == WorkerView.State.STOPPED,
                () -> "the job's worker exits with 0 and stays stopped: " + z.app("job"));
        assertEquals(0, z.app("job").workers().getFirst().restarts());
        assertTrue(z.ok("events", "job").out().contains("exit code 0 is in stop_exit_codes"));
    }

    @Test
    void cronRestartReloadsAtEachTickAndDescribeShowsIt() {
        start("cron.config.js");
        long first = z.pids("nightly").getFirst();
        assertTrue(z.ok("describe", "nightly").out().contains("cron:       */3 * * * * *: a zero-downtime reload at each tick, next "));
        Await.until(ZdmHome.SHORT, () -> !z.pids("nightly").isEmpty() && z.pids("nightly").getFirst() != first,
                "a tick replaced the worker");
        assertTrue(z.ok("events", "nightly").out().contains("by cron_restart */3 * * * * *"),
                z.ok("events", "nightly").out());
        z.ok("delete", "nightly"); // no more ticks
    }

    @Test
    void watchReloadsAfterAChangeButNotForAnIgnoredFile() throws Exception {
        start("watch.config.js");
        long first = z.pids("dev").getFirst();
        Files.writeString(dir.resolve("src/notes.tmp"), "ignored\n");
        Files.writeString(dir.resolve("worker.js"), Files.readString(dir.resolve("worker.js")) + "\n"); // not watched
        Await.holdsFor(java.time.Duration.ofSeconds(2), () -> z.pids("dev").equals(List.of(first)),
                "no reload for an ignored or unwatched file");
        Files.writeString(dir.resolve("src/app.js"), "module.exports = 2;\n");
        Await.until(ZdmHome.SHORT, () -> !z.pids("dev").isEmpty() && z.pids("dev").getFirst() != first
                && z.app("dev").status() == AppView.Status.RUNNING, "the change reloaded the app");
        assertTrue(z.ok("events", "dev").out().contains("by watch: " + dir.resolve("src/app.js") + " changed"));
    }

    @Test
    void logFileOptionsWriteTheFilesPm2WouldAndZdmLogsStillWorks() throws Exception {
        var r = start("log-files.config.js");
        assertTrue(!r.out().contains("out_file: ignored") && !r.out().contains("time: ignored"), r.toString());
        Path logs = dir.resolve("logs");
        String stamp = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d: ";
        for (int id : new int[] {0, 1}) {
            // cluster mode without merge_logs: a file per worker, pm2's -<id> before .log; time: true stamps each line
            awaitLine(logs.resolve("logged-out-" + id + ".log"), stamp + "out " + id);
            awaitLine(logs.resolve("logged-error-" + id + ".log"), stamp + "err " + id);
            awaitLine(logs.resolve("logged-combined-" + id + ".log"), stamp + "out " + id);
            awaitLine(logs.resolve("logged-combined-" + id + ".log"), stamp + "err " + id);
        }
        assertTrue(!Files.exists(logs.resolve("logged-out.log")), "no shared file without merge_logs");
        // merge_logs: both workers and both streams in one file; log_date_format as day.js renders it
        String minute = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d [+-]\\d\\d:\\d\\d: ";
        for (String line : List.of("out 0", "out 1", "err 0", "err 1")) awaitLine(logs.resolve("merged.log"), minute + line);
        // /dev/null and NULL discard; zdm's own logs keep every app's lines
        assertEquals(AppView.Status.RUNNING, z.app("quiet").status());
        assertTrue(!Files.exists(dir.resolve("NULL")), "NULL is pm2's word for no file, not a file name");
        Await.until(ZdmHome.SHORT, () -> z.ok("logs", "quiet", "--lines", "20").out().contains("err 0"), "zdm logs quiet");
        Await.until(ZdmHome.SHORT, () -> z.ok("logs", "logged", "--lines", "20").out().contains("out 1"), "zdm logs logged");
        z.ok("flush", "merged");
        assertEquals(0, Files.size(logs.resolve("merged.log")), "zdm flush empties the app's own files, as pm2 flush");
    }

    @Test
    void logTypeJsonWritesPm2sJsonLinesAndDisableLogsKeepsNoFile() throws Exception {
        var r = start("log-type.config.js");
        assertTrue(!r.out().contains("log_type: ignored") && !r.out().contains("disable_logs: ignored"), r.toString());
        Path logs = dir.resolve("logs");
        // pm2's object, keys in pm2's order; the timestamp is ISO 8601 UTC without a log_date_format
        String iso = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
        awaitLine(logs.resolve("jsonlog-out.log"), java.util.regex.Pattern.quote("{\"message\":\"out 0\\n\",\"timestamp\":\"")
                + iso + java.util.regex.Pattern.quote("\",\"type\":\"out\",\"process_id\":0,\"app_name\":\"jsonlog\"}"));
        awaitLine(logs.resolve("jsonlog-err.log"), ".*\"message\":\"err 0\\\\n\".*\"type\":\"err\".*");
        Await.until(ZdmHome.SHORT, () -> z.ok("logs", "jsonlog").out().contains("jsonlog[0] out 0"), "zdm's own log stays text");

        Await.until(ZdmHome.SHORT, () -> z.pids("unlogged").size() == 1 && z.app("unlogged").status() == AppView.Status.RUNNING, "up");
        var quiet = z.ok("logs", "unlogged").out();
        assertTrue(quiet.contains("disable_logs is set: no log lines are kept") && !quiet.contains("out 0"), quiet);
        assertTrue(!Files.exists(logs.resolve("unlogged.log")), "no pm2 file");
        assertTrue(!Files.exists(z.paths().outLog("unlogged")) || !Files.readString(z.paths().outLog("unlogged")).contains("out 0"),
                "no zdm log either");
    }

    @Test
    void waitReadyMakesAWorkerOnlineAtItsReadyMessage() throws Exception {
        var starting = java.util.concurrent.CompletableFuture.supplyAsync(() -> start("wait-ready.config.js"));
        Await.until(ZdmHome.SHORT, () -> z.zdm("ls", "--json").out().contains("\"waits\""), "waits is registered");
        Await.holdsFor(java.time.Duration.ofSeconds(3), () -> !z.app("waits").workers().isEmpty()
                && z.app("waits").workers().getFirst().state() == WorkerView.State.STARTING,
                "the worker runs, but is not online before process.send('ready')");
        Files.writeString(dir.resolve("ready.gate"), "");
        var r = starting.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(AppView.Status.RUNNING, z.app("waits").status(), r.toString());
        assertTrue(z.ok("logs", "waits", "--lines", "20").out().contains("sent ready"));
    }

    @Test
    void shutdownWithMessageAsksTheAppToStopWithPm2sMessage() throws Exception {
        start("shutdown-message.config.js");
        Await.until(ZdmHome.SHORT, () -> z.ok("logs", "polite", "--lines", "20").out().contains("polite worker up"), "up");
        z.ok("stop", "polite");
        String logs = z.ok("logs", "polite", "--lines", "20").out();
        assertTrue(logs.contains("shutdown message received"), logs);
        assertTrue(!z.ok("events", "polite").out().contains("killed"), "it exited by itself, before kill_timeout");
    }

    private static void awaitLine(Path file, String regex) {
        var pattern = java.util.regex.Pattern.compile("(?m)^" + regex + "$");
        Await.until(ZdmHome.SHORT, () -> Files.exists(file) && pattern.matcher(readQuietly(file)).find(),
                () -> file + " has a line matching " + regex + ": " + (Files.exists(file) ? readQuietly(file) : "(missing)"));
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void npmScriptsStartFromTheCommandLineAsWithPm2() throws Exception {
        Files.writeString(z.dir.resolve("package.json"), """
                {"name": "cli-npm", "private": true, "scripts": {"start": "node pm2/server.js", "serve": "node pm2/server.js"}}
                """);
        int first = FreePorts.reserve();
        int second = FreePorts.reserve();
        z.ok("start", "npm", "-e", "PORT=" + first, "--", "start");
        z.ok("start", "npm", "--name", "web-serve", "-e", "PORT=" + second, "--", "run", "serve");
        Await.until(ZdmHome.SHORT, () -> answers(first) && answers(second), "npm start and npm run serve answer");
        assertEquals(AppView.Status.RUNNING, z.app("npm").status(), "named after the program, as pm2 names it");
        assertTrue(cmdline(z.pids("web-serve").getFirst()).contains("npm"), "npm runs the script");
    }

    @Test
    void updateEnvGivesTheAppTheCallersEnvironmentOnRestartAndReload() throws Exception {
        z.env.put("GREETING", "first");
        try {
            z.ok("start", "pm2/worker.js", "--name", "envy");
            assertTrue(environ(z.pids("envy").getFirst()).contains("\nGREETING=first\n"));
            z.env.put("GREETING", "second");
            z.ok("restart", "envy");
            assertTrue(environ(z.pids("envy").getFirst()).contains("\nGREETING=first\n"), "without --update-env it keeps its own");
            z.ok("restart", "envy", "--update-env");
            assertTrue(environ(z.pids("envy").getFirst()).contains("\nGREETING=second\n"), "restart --update-env");
            z.env.put("GREETING", "third");
            z.ok("reload", "envy", "-a");
            assertTrue(environ(z.pids("envy").getFirst()).contains("\nGREETING=third\n"), "reload -a");
            z.ok("restart", "envy");
            assertTrue(environ(z.pids("envy").getFirst()).contains("\nGREETING=third\n"), "the updated environment is kept");
            String events = z.ok("events", "envy").out();
            assertTrue(events.contains("--update-env: 1 variable(s) changed: GREETING"), events);
        } finally {
            z.env.remove("GREETING");
            z.ok("delete", "envy");
        }
    }

    /** pm2's start --update-env: a running app is reloaded with the caller's variables, a stopped one starts with them. */
    @Test
    void startWithUpdateEnvGivesTheAppTheCallersEnvironment() throws Exception {
        z.env.put("GREETING", "first");
        try {
            z.ok("start", "pm2/worker.js", "--name", "envstart");
            z.env.put("GREETING", "second");
            long before = z.pids("envstart").getFirst();
            z.ok("start", "envstart");
            assertEquals(before, z.pids("envstart").getFirst(), "start of a running app without -a changes nothing");
            assertTrue(environ(before).contains("\nGREETING=first\n"));
            z.ok("start", "envstart", "--update-env");
            long reloaded = z.pids("envstart").getFirst();
            assertTrue(reloaded != before && environ(reloaded).contains("\nGREETING=second\n"), "reloaded with it");
            z.ok("stop", "envstart");
            z.env.put("GREETING", "third");
            z.ok("start", "envstart", "-a");
            assertTrue(environ(z.pids("envstart").getFirst()).contains("\nGREETING=third\n"), "a stopped app starts with it");
            String events = z.ok("events", "envstart").out();
            assertTrue(events.contains("start --update-env: 1 variable(s) changed: GREETING")
                    || events.contains("--update-env: 1 variable(s) changed: GREETING"), events);

            // a file: the caller's variables beneath the file's env, which wins
            z.file("envfile.yaml", """
                    apps:
                      - name: envfile
                        command: sleep 1000
                        env: { GREETING: from-the-file }
                    """);
            z.env.put("FAREWELL", "bye");
            z.ok("start", "envfile.yaml", "--update-env");
            String env = environ(z.pids("envfile").getFirst());
            assertTrue(env.contains("\nFAREWELL=bye\n") && env.contains("\nGREETING=from-the-file\n"), env);
        } finally {
            z.env.remove("GREETING");
            z.env.remove("FAREWELL");
            z.zdm("delete", "envstart");
            z.zdm("delete", "envfile");
        }
    }

    private static String environ(long pid) {
        try {
            return "\n" + Files.readString(Path.of("/proc/" + pid + "/environ")).replace('\0', '\n');
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
