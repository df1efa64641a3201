package zdm.cli;

import zdm.view.AppTable;
import zdm.view.AppTableTest;
import zdm.view.AppJson;

import zdm.view.AppTable;
import zdm.view.AppJson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import zdm.protocol.ErrorKind;
import zdm.protocol.Paths;
import zdm.protocol.Request;
import zdm.protocol.Response;

/** The commands against a scripted daemon on a real Unix socket: requests sent, output, exit codes. */
class DaemonCommandsTest {
    @TempDir
    Path home;

    private final AtomicReference<ScriptedDaemon> started = new AtomicReference<>();

    @AfterEach
    void stopStartedDaemon() throws Exception {
        if (started.get() != null) started.get().close();
    }

    private Paths paths() {
        return new Paths(home);
    }

    @Test
    void killWithoutDaemonSaysSoAndSucceeds() {
        CliRun run = CliRun.run(paths(), "kill");
        assertEquals(new CliRun(0, "no daemon running\n", ""), run);
        assertTrue(Files.notExists(home.resolve("zdm.sock")));
    }

    @Test
    void killWithStaleSocketSaysNoDaemon() throws Exception {
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(paths().socket()));
        } // closed: the file stays, nobody listens (ECONNREFUSED), as after a daemon crash
        assertTrue(Files.exists(paths().socket()));
        assertEquals(new CliRun(0, "no daemon running\n", ""), CliRun.run(paths(), "kill"));
    }

    @Test
    void killStopsARunningDaemonAndWaitsForItsProcess() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        var pong = new Response.Pong("9.9.9", 1, gone.pid(), 1000, home.toString());
        try (var daemon = new ScriptedDaemon(paths(), r -> r instanceof Request.Ping ? List.of(pong) : List.of())) {
            // the scripted daemon closes the shutdown connection without an answer, as a dying daemon may
            assertEquals(new CliRun(0, "daemon stopped\n", ""), CliRun.run(paths(), "kill"));
            assertEquals(List.of(new Request.Ping(), new Request.Shutdown()), daemon.requests);
        }
    }

    @Test
    void versionWithoutDaemonPrintsOnlyOwnVersionAndStartsNothing() {
        var starter = new CliRun.CountingStarter();
        CliRun run = CliRun.run(new CliContext(paths(), starter), "version");
        assertEquals(new CliRun(0, "zdm " + Version.VERSION + "\n", ""), run);
        assertEquals(0, starter.calls.get());
    }

    @Test
    void versionWithDaemonAddsItsVersion() throws Exception {
        try (var _ = new ScriptedDaemon(paths(), r -> List.of(ScriptedDaemon.pong(paths())))) {
            assertEquals("zdm " + Version.VERSION + "\ndaemon 9.9.9 (pid 4242, protocol 1, home " + home + ")\n",
                    CliRun.run(paths(), "version").out());
        }
    }

    @Test
    void socketPathTooLongIsExitThreeNamingTheFixBeforeAnyStart() {
        Path deep = home.resolve("x".repeat(120));
        var starter = new CliRun.CountingStarter();
        CliRun run = CliRun.run(new CliContext(new Paths(deep), starter), "ping");
        assertEquals(3, run.exitCode());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("zdm: the socket path " + deep.resolve("zdm.sock")), run.err());
        assertTrue(run.err().contains("set ZDM_HOME to a shorter directory"), run.err());
        assertEquals(0, starter.calls.get());
    }

    @Test
    void autoStartsAMissingDaemonAndSaysSo() {
        DaemonStarter starter = p -> {
            try {
                started.set(new ScriptedDaemon(p, r -> List.of(new Response.Apps(AppTableTest.APPS, null))));
            } catch (java.io.IOException e) {
                throw new CliException(ExitCodes.DAEMON, e.toString());
            }
            return ScriptedDaemon.pong(p);
        };
        CliRun run = CliRun.run(new CliContext(paths(), starter), "ls");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("zdm: daemon was not running; started it (pid 4242, home " + home + ")\n", run.err());
        assertEquals(AppTable.render(AppTableTest.APPS), run.out());
    }

    @Test
    void cannotStartDaemonIsExitThree() {
        CliRun run = CliRun.run(paths(), "ls");
        assertEquals(3, run.exitCode());
        assertEquals("zdm: no daemon is running for " + home + "\n", run.err());
    }

    @Test
    void pingPrintsDaemonFacts() throws Exception {
        try (var _ = new ScriptedDaemon(paths(), r -> List.of(ScriptedDaemon.pong(paths())))) {
            assertEquals(new CliRun(0, "pong: daemon 4242 up 1h, protocol 1, home " + home + "\n", ""),
                    CliRun.run(paths(), "ping"));
        }
    }

    @Test
    void lsJsonPrintsTheArray() throws Exception {
        try (var daemon = new ScriptedDaemon(paths(), r -> List.of(new Response.Apps(AppTableTest.APPS, "ignored")))) {
            assertEquals(new CliRun(0, AppJson.render(AppTableTest.APPS) + "\n", ""), CliRun.run(paths(), "list", "--json"));
            assertEquals(List.of(new Request.ListApps()), daemon.requests);
        }
    }

    @Test
    void startStreamsProgressThenPrintsMessageAndTable() throws Exception {
        Path eco = Files.writeString(home.resolve("eco.yml"), "apps: []\n");
        try (var daemon = new ScriptedDaemon(paths(), r -> List.of(new Response.Progress("web[0] online"),
                new Response.Progress("web[1] online"), new Response.Apps(AppTableTest.APPS, "started 2 apps")))) {
            CliRun run = CliRun.run(paths(), "start", eco.toString());
            // web's worker 1 is waiting to restart after a crash: the start did not fully succeed.
            assertEquals(1, run.exitCode(), run.err());
            assertEquals("zdm: web: 1 of 2 workers not online (degraded); see 'zdm logs web'\n", run.err());
            assertEquals("web[0] online\nweb[1] online\nstarted 2 apps\n" + AppTable.render(AppTableTest.APPS), run.out());
            assertEquals(List.of(new Request.StartFile(eco.toString())), daemon.requests);
        }
    }

    @Test
    void startOfAFileSendsEnvAndPruneAndPm2FilesAreEcosystemFiles() throws Exception {
        Path eco = Files.writeString(home.resolve("eco.yaml"), "apps: []\n");
        Path js = Files.writeString(home.resolve("ecosystem.config.js"), "module.exports = {apps: []};\n");
        Path json = Files.writeString(home.resolve("apps.json"), "{}\n");
        try (var daemon = new ScriptedDaemon(paths(), r -> List.of(new Response.Apps(List.of(), "started")))) {
            assertEquals(0, CliRun.run(paths(), "start", eco.toString(), "--env", "production", "--prune").exitCode());
            assertEquals(0, CliRun.run(paths(), "start", js.toString(), "-e", "staging").exitCode());
            assertEquals(0, CliRun.run(paths(), "start", json.toString()).exitCode());
            assertEquals(List.of(new Request.StartFile(eco.toString(), "production", true),
                    new Request.StartFile(js.toString(), "staging", false),
                    new Request.StartFile(json.toString(), null, false)), daemon.requests);
            var twoEnvs = CliRun.run(paths(), "start", eco.toString(), "--env", "a", "--env", "b");
            assertEquals(2, twoEnvs.exitCode());
            assertTrue(twoEnvs.err().startsWith("zdm: --env takes one environment name for an ecosystem file, got 2"), twoEnvs.err());
            var scriptEnv = CliRun.run(paths(), "start", js.toString().replace("ecosystem.config.js", "eco.yaml"), "-e", "A=B");
            assertEquals(2, scriptEnv.exitCode());
            assertEquals(3, daemon.requests.size(), "usage errors never reach the daemon");
        }
    }

    @Test
    void anOldStartFileRequestStillDecodes() throws Exception {
        var envelope = zdm.protocol.Wire.decodeRequest(
                "{\"v\":1,\"request\":{\"type\":\"start-file\",\"path\":\"/srv/eco.yaml\"}}".getBytes());
        assertEquals(new Request.StartFile("/srv/eco.yaml"), envelope.request());
    }

    @Test
    void startSucceedsWhenEveryWorkerOfARunningAppIsOnline() throws Exception {
        Path eco = Files.writeString(home.resolve("eco.yml"), "apps: []\n");
        var healthy = List.of(AppTableTest.APPS.get(1), AppTableTest.APPS.get(2)); // api stopped, jobs online
        try (var _ = new ScriptedDaemon(paths(), r -> List.of(new Response.Apps(healthy, "started")))) {
            CliRun run = CliRun.run(paths(), "start", eco.toString());
            assertEquals(0, run.exitCode(), run.err());
            assertEquals("", run.err());
        }
    }

    @Test
    void startScriptSendsAnInlineAppWithEcosystemKeys() throws Exception {
        Path script = Files.writeString(home.resolve("server.js"), "");
        try (var daemon = new ScriptedDaemon(paths(), r -> List.of(new Response.Apps(List.of(), null)))) {
            CliRun run = CliRun.run(paths(), "start", script.toString(), "-i", "max", "--port", "3000",
                    "--interpreter", "node", "-e", "A=1", "--env", "B=x=y", "--", "--flag", "value");
            assertEquals(0, run.exitCode(), run.err());
            String cwd = System.getProperty("user.dir");
            var expected = new LinkedHashMap<String, Object>();
            expected.put("name", "server");
            expected.put("script", script.toString());
            expected.put("instances", "max");
            expected.put("port", 3000);
            expected.put("interpreter", "node");
            expected.put("args", List.of("--flag", "value"));
            expected.put("env", Map.of("A", "1", "B", "x=y"));
            expected.put("cwd", cwd);
            var request = assertInstanceOf(Request.StartInline.class, daemon.requests.getFirst());
            assertEquals(expected, request.app());
            assertEquals(cwd, request.cwd());
        }
    }

    @Test
    void startScriptWithoutOptionsSendsOnlyNameScriptAndCwd() throws Exception {
        Path script = Files.writeString(home.resolve("job.worker.py"), "");
        try (var daemon = new ScriptedDaemon(paths(), r -> List.of(new Response.Apps(List.of(), null)))) {
            CliRun.run(paths(), "start", script.toString(), "-i", "3", "--name", "jobs");
            var request = assertInstanceOf(Request.StartInline.class, daemon.requests.getFirst());
            assertEquals(Map.of("name", "jobs", "script", script.toString(), "instances", 3,
                    "cwd", System.getProperty("user.dir")), request.app());
            assertEquals("job.worker", InlineAppOptions.defaultName(script));
        }
    }

    @Test
    void startAProgramOnThePathTakesItsArgumentsAfterDashesAsPm2Does() throws Exception {
        try (var daemon = new ScriptedDaemon(paths(), r -> List.of(new Response.Apps(List.of(), null)))) {
            String cwd = System.getProperty("user.dir");
            assertEquals(0, CliRun.run(paths(), "start", "sh", "--name", "web", "--", "-c", "exec sleep 9").exitCode());
            assertEquals(0, CliRun.run(paths(), "start", "sh", "--").exitCode());
            assertEquals(List.of(new Request.StartInline(Map.of("name", "web", "command", List.of("sh", "-c", "exec sleep 9"),
                            "cwd", cwd), cwd), new Request.StartInline(Map.of("name", "sh", "command", List.of("sh"), "cwd", cwd), cwd)),
                    daemon.requests);
            var missing = CliRun.run(paths(), "start", "no-such-program-zdm", "--", "start");
            assertEquals(2, missing.exitCode());
            assertTrue(missing.err().contains("'no-such-program-zdm' is not a file in " + cwd + " nor a program on the PATH"),
                    missing.err());
            assertEquals(2, daemon.requests.size(), "usage errors send nothing");
        }
    }

    @Test
    void updateEnvSendsTheCallersEnvironmentWithRestartAndReload() throws Exception {
        try (var daemon = new ScriptedDaemon(paths(), r -> List.of(new Response.Apps(List.of(), null)))) {
            CliRun.run(paths(), "reload", "web");
            CliRun.run(paths(), "reload", "web", "--update-env");
            CliRun.run(paths(), "restart", "all", "-a");
            // tests run without a caller's environment: an empty one, where no option sends none (null)
            assertEquals(List.of(new Request.Reload("web", null), new Request.Reload("web", Map.of()),
                    new Request.Restart("all", Map.of())), daemon.requests);
        }
    }

    @Test
    void startAppNameSendsStartApps() throws Exception {
        try (var daemon = new ScriptedDaemon(paths(), r -> List.of(new Response.Apps(List.of(), null)))) {
            assertEquals(0, CliRun.run(paths(), "start", "all").exitCode());
            assertEquals(0, CliRun.run(paths(), "start", "web", "-e", "production").exitCode());
            assertEquals(List.of(new Request.StartApps("all"), new Request.StartApps("web", "production")), daemon.requests);
            var all = CliRun.run(paths(), "start", "all", "-e", "production");
            assertEquals(2, all.exitCode());
            assertTrue(all.err().contains("start the ecosystem file instead"), all.err());
            var kv = CliRun.run(paths(), "start", "web", "-e", "A=B");
            assertEquals(2, kv.exitCode());
            assertTrue(kv.err().contains("takes the name of one env_<name> block"), kv.err());
            assertEquals(2, daemon.requests.size(), "usage errors send nothing");
        }
    }

    @Test
    void failedAnswerMapsItsKindToTheExitCodeAndPrintsDetails() throws Exception {
        try (var _ = new ScriptedDaemon(paths(), r -> List.of(new Response.Progress("checking"),
                new Response.Failed(ErrorKind.INVALID_CONFIG, "eco.yaml: 2 errors", List.of("  eco.yaml:3 apps[0].name: required", "  eco.yaml:9 ...")))) ) {
            CliRun run = CliRun.run(paths(), "start", "web");
            assertEquals(new CliRun(2, "checking\n", "zdm: eco.yaml: 2 errors\n  eco.yaml:3 apps[0].name: required\n  eco.yaml:9 ...\n"), run);
        }
        try (var _ = new ScriptedDaemon(paths(), r -> List.of(Response.Failed.of(ErrorKind.NOT_FOUND, "no app named 'web'")))) {
            assertEquals(new CliRun(1, "", "zdm: no app named 'web'\n"), CliRun.run(paths(), "stop", "web"));
        }
        try (var _ = new ScriptedDaemon(paths(), r -> List.of(Response.Failed.of(ErrorKind.DENIED, "uid 1001 is not allowed")))) {
            assertEquals(3, CliRun.run(paths(), "del", "web").exitCode());
        }
    }

    @Test
    void daemonClosingMidRequestIsExitThreePointingAtTheLog() throws Exception {
        try (var _ = new ScriptedDaemon(paths(), r -> List.of(new Response.Progress("stopping web[0]")))) {
            CliRun run = CliRun.run(paths(), "restart", "web");
            assertEquals(new CliRun(3, "stopping web[0]\n",
                    "zdm: the daemon closed the connection (see " + paths().daemonLog() + ")\n"), run);
        }
    }

    @Test
    void debugAddsTheStackTrace() throws Exception {
        try (var _ = new ScriptedDaemon(paths(), r -> List.of())) {
            CliRun run = CliRun.run(paths(), "restart", "--debug", "web");
            assertEquals(3, run.exitCode());
            assertTrue(run.err().lines().count() > 2 && run.err().contains("\tat zdm.cli.DaemonClient"), run.err());
        }
    }

    @Test
    void logsPrintsLinesOfBothStreamsAndFollowEndsCleanlyWhenTheDaemonCloses() throws Exception {
        try (var daemon = new ScriptedDaemon(paths(), r -> List.of(new Response.LogLine("t web[0] hello", false),
                new Response.LogLine("t web[0] oops", true)))) {
            assertEquals(new CliRun(0, "t web[0] hello\nt web[0] oops\n", ""), CliRun.run(paths(), "logs", "web", "-f"));
            assertEquals(List.of(new Request.Logs("web", 15, true)), daemon.requests);
        }
        try (var daemon = new ScriptedDaemon(paths(), r -> List.of(new Response.LogLine("a", false), new Response.Done(null)))) {
            assertEquals(new CliRun(0, "a\n", ""), CliRun.run(paths(), "logs", "-n", "0", "all"));
            assertEquals(List.of(new Request.Logs("all", 0, false)), daemon.requests);
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // without the fix it follows forever
    void followEndsQuietlyWhenStdoutIsClosed() throws Exception {
        try (var daemon = new ScriptedDaemon(paths(), r -> List.of(new Response.LogLine("line", false)), true)) {
            var closedPipe = new java.io.Writer() {
                @Override public void write(char[] buf, int off, int len) throws java.io.IOException {
                    throw new java.io.IOException("Broken pipe");
                }
                @Override public void flush() {}
                @Override public void close() {}
            };
            var err = new java.io.StringWriter();
            int code = Cli.run(new CliContext(paths(), DaemonStarter.NEVER), new String[] {"logs", "web", "-f"},
                    new java.io.PrintWriter(closedPipe), new java.io.PrintWriter(err));
            assertEquals(0, code);
            assertEquals("", err.toString());
        }
    }

    @Test
    void scaleSendsTheCount() throws Exception {
        try (var daemon = new ScriptedDaemon(paths(), r -> List.of(new Response.Apps(List.of(), "web: 4 workers")))) {
            assertEquals(new CliRun(0, "web: 4 workers\n" + AppTable.NO_APPS + "\n", ""), CliRun.run(paths(), "scale", "web", "4"));
            assertEquals(List.of(new Request.Scale("web", 4)), daemon.requests);
        }
    }

    @Test
    void helpAndVersionOptionsExitZero() {
        CliRun help = CliRun.run(paths(), "start", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("Examples:") && help.out().contains("zdm start ecosystem.yaml"), help.out());
        assertTrue(CliRun.run(paths(), "logs", "--help").out().contains("zdm logs web -f"));
        assertEquals(new CliRun(0, "zdm " + Version.VERSION + "\n", ""), CliRun.run(paths(), "--version"));
    }

    @Test
    void noCommandPrintsUsageToStderrWithExitTwo() {
        CliRun run = CliRun.run(paths());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Usage: zdm"), run.err());
    }
}
