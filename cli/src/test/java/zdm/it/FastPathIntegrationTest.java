package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.test.Await;

/**
 * Every command the daemon runs for the CLI (the fast path, zdm.client.FastClient and
 * zdm.cli.DaemonCommands) prints what the same command prints when the client runs it itself
 * ({@code ZDM_FAST_PATH=0}, the full path), against one real daemon: same stdout, stderr and exit
 * code. The fast runs are the fast client as bin/zdm runs it (zdm.client.FastMain with its jar
 * alone, {@link ClientJar}), and check that it did not hand the command to the full CLI. The apps are stopped so that nothing in the output moves between the two runs.
 */
@ExtendWith(ZdmHomes.class)
class FastPathIntegrationTest {
    static ZdmHome z;

    @BeforeAll
    static void apps(ZdmHome home) throws IOException {
        z = home;
        z.ecosystem("""
                apps:
                  - name: idle
                    command: sleep 600
                    instances: 2
                    env: { ZDM_TEST_TAG: ${TAG}, API_TOKEN: hush }
                  - name: printer
                    command: [sh, -c, "echo hello; echo oops >&2; exec sleep 600"]
                    env: { ZDM_TEST_TAG: ${TAG} }
                """);
        z.ok("start", "ecosystem.yaml");
        Await.until(Duration.ofSeconds(30), () -> z.zdm("logs", "printer", "-n", "5").out().contains("oops"), "printer's lines are in its log");
        z.ok("stop", "all");
    }

    /** Runs {@code zdm args} both ways and asserts that they print the same; returns the fast run. */
    private static CliResult same(Map<String, String> env, String... args) throws IOException {
        CliResult fast = fast(env, args);
        CliResult full = full(env, args);
        assertEquals(full, fast, "zdm " + String.join(" ", args));
        return fast;
    }

    private static CliResult same(String... args) throws IOException {
        return same(Map.of(), args);
    }

    private static CliResult full(Map<String, String> env, String... args) {
        z.env.putAll(env);
        z.env.put("ZDM_FAST_PATH", "0");
        try {
            return z.zdm(args);
        } finally {
            env.keySet().forEach(z.env::remove);
            z.env.remove("ZDM_FAST_PATH");
        }
    }

    /**
     * {@code zdm args} by the fast client as bin/zdm runs it ({@link ClientJar}), with its class loading
     * logged: it must have had the daemon run the command, never handing it to the full CLI.
     */
    private static CliResult fast(Map<String, String> env, String... args) throws IOException {
        Path classes = z.dir.resolve("classes-" + UUID.randomUUID() + ".log");
        var pb = new ProcessBuilder(ClientJar.command(List.of("-Xlog:class+load=info:file=" + classes), args)).directory(z.dir.toFile());
        pb.environment().putAll(z.zdmEnv());
        pb.environment().put("ZDM_LAUNCHER", ClientJar.launcher(z.dir.resolve("launcher.sh")).toString());
        pb.environment().putAll(env);
        Path out = z.dir.resolve("fast-" + UUID.randomUUID() + ".out");
        Path err = z.dir.resolve("fast-" + UUID.randomUUID() + ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process p = pb.start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("zdm " + String.join(" ", args) + " did not finish in 90 s");
            }
            var result = new CliResult(p.exitValue(), Files.readString(out), Files.readString(err));
            assertFalse(Files.readString(classes).contains(" zdm.client.FullPath "),
                    "the fast client handed zdm " + String.join(" ", args) + " to the full CLI: " + result);
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void describe() throws IOException {
        String out = same("describe", "idle").out();
        assertTrue(out.contains("idle") && out.contains("API_TOKEN"), out);
        assertFalse(out.contains("hush"), out); // masked by the daemon either way
    }

    @Test
    void describeOfAnUnknownApp() throws IOException {
        assertEquals(1, same("describe", "nosuch").exitCode());
    }

    @Test
    void logsWithLineCount() throws IOException {
        String out = same("logs", "printer", "-n", "20").out();
        assertTrue(out.contains("hello") && out.contains("oops"), out);
    }

    /** Times are printed in the caller's zone, which the daemon's run must take from the request. */
    @Test
    void eventsWithLineCountInTheCallersZone() throws IOException {
        String out = same(Map.of("TZ", "Asia/Kolkata"), "events", "-n", "20").out();
        assertTrue(out.contains("+05:30"), out);
    }

    @Test
    void help() throws IOException {
        assertTrue(same("help").out().contains("Commands:"));
        same("help", "startup"); // a full-path command's help, asked through help
    }

    @Test
    void dashDashHelp() throws IOException {
        assertTrue(same("--help").out().contains("Commands:"));
        same("logs", "-h");
    }

    /** Every help form, as the client prints it off a terminal (from the pages rendered at build time). */
    @Test
    void helpFormsOffATerminal() throws IOException {
        // (help, --help, logs -h and help startup: the tests above)
        for (String[] form : List.of(new String[] {"-h"}, new String[] {"help", "start"}, new String[] {"start", "--help"},
                new String[] {"help", "list"})) {
            CliResult page = same(form);
            assertTrue(page.exitCode() == 0 && page.out().contains("Usage: zdm") && page.err().isEmpty(), String.join(" ", form) + ": " + page);
        }
        assertEquals(2, same("help", "nosuch").exitCode());
    }

    /** Without a daemon: the page is printed without starting one, and without picocli. */
    @Test
    void helpWithoutADaemon() throws IOException {
        Path elsewhere = z.dir.resolve("no-daemon-home");
        var home = Map.of("ZDM_HOME", elsewhere.toString());
        for (String[] form : List.of(new String[] {"--help"}, new String[] {"help", "describe"}, new String[] {"describe", "-h"})) {
            assertEquals(full(home, form), fast(home, form), String.join(" ", form));
        }
        assertFalse(Files.exists(elsewhere.resolve("zdm.sock")), "no daemon was started");
    }

    /**
     * In a terminal (a pty from script(1), of several widths, colours allowed): the daemon prints the
     * help the client would print itself, at the terminal's width and in picocli's colours, again
     * when asked twice (its cache).
     */
    @Test
    void helpInATerminalOfSeveralWidths() throws Exception {
        record Case(int columns, String... form) {}
        String first = null;
        for (var c : List.of(new Case(60, "--help"), new Case(60, "logs", "-h"), new Case(163, "help", "start"))) {
            String full = inTerminal(c.columns(), Map.of("ZDM_FAST_PATH", "0"), c.form());
            assertTrue(full.contains("\033[") && full.contains("Usage:"), full);
            assertEquals(full, inTerminal(c.columns(), Map.of(), c.form()), c.columns() + " columns: zdm " + String.join(" ", c.form()));
            if (first == null) first = full;
        }
        assertEquals(first, inTerminal(60, Map.of(), "--help"), "again, from the daemon's cache");
        // Colour asked off by the caller's environment: the same on both paths.
        assertEquals(inTerminal(90, Map.of("ZDM_FAST_PATH", "0", "CLICOLOR", "0"), "help", "ls"),
                inTerminal(90, Map.of("CLICOLOR", "0"), "help", "ls"));
    }

    /** What {@code zdm args} print in a pseudo-terminal of {@code columns} (its stdin and stdout), colours allowed. */
    private static String inTerminal(int columns, Map<String, String> env, String... args) throws Exception {
        var words = new ArrayList<String>();
        boolean full = "0".equals(env.get("ZDM_FAST_PATH"));
        for (String word : full ? z.zdmCommand(args) : ClientJar.command(List.of(), args)) words.add("'" + word.replace("'", "'\\''") + "'");
        String command = "stty cols " + columns + " rows 50 && exec " + String.join(" ", words);
        var pb = new ProcessBuilder("script", "-qec", command, "/dev/null").directory(z.dir.toFile());
        pb.environment().putAll(z.zdmEnv());
        pb.environment().remove("NO_COLOR");
        pb.environment().remove("COLUMNS");
        pb.environment().remove("CLICOLOR_FORCE");
        pb.environment().put("TERM", "xterm");
        pb.environment().put("ZDM_LAUNCHER", ClientJar.launcher(z.dir.resolve("launcher.sh")).toString());
        pb.environment().putAll(env);
        Path out = z.dir.resolve("tty-" + UUID.randomUUID() + ".out");
        pb.redirectOutput(out.toFile()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("zdm " + String.join(" ", args) + " in a terminal did not finish in 90 s");
        }
        assertEquals(0, p.exitValue(), Files.readString(out));
        return Files.readString(out);
    }

    @Test
    void ls() throws IOException {
        assertTrue(same("ls").out().contains("printer"));
        same("list");
        same("status");
        same("ls", "--json");
    }

    @Test
    void ping() throws IOException {
        String fast = fast(Map.of(), "ping").out().replaceAll(" up \\S+,", " up _,");
        assertEquals(full(Map.of(), "ping").out().replaceAll(" up \\S+,", " up _,"), fast);
        assertTrue(fast.startsWith("pong: daemon " + z.daemonPid().orElseThrow() + " up "), fast);
    }

    @Test
    void version() throws IOException {
        same("version");
    }

    @Test
    void usageErrors() throws IOException {
        assertEquals(2, same("describe").exitCode());
        assertEquals(2, same("nosuchcommand").exitCode());
    }

    @Test
    void stopAndScaleOfAnUnknownApp() throws IOException {
        assertEquals(1, same("stop", "nosuch").exitCode());
        assertEquals(1, same("scale", "nosuch", "2").exitCode());
    }

    /** {@code start} of a script: the caller's directory and environment, not the daemon's. */
    @Test
    void startOfAScriptInTheCallersDirectoryWithItsEnvironment() throws IOException {
        Path script = z.file("sub/greeter.sh", "#!/bin/sh\necho \"greeting $GREETING\"\nexec sleep 600\n");
        script.toFile().setExecutable(true);
        var env = Map.of("GREETING", "from-the-caller", "ZDM_TEST_TAG", z.tag);
        CliResult started = fast(env, "start", "sub/greeter.sh");
        assertEquals(0, started.exitCode(), started.toString());
        assertTrue(started.out().contains("started greeter"), started.toString());
        String described = fast(Map.of(), "describe", "greeter").out(); // its worker's uptime moves: one run
        assertTrue(described.contains(script.toString()) && described.contains("from-the-caller"), described);
        Await.until(Duration.ofSeconds(30), () -> z.zdm("logs", "greeter").out().contains("greeting from-the-caller"), "greeter's line is in its log");
        CliResult deleted = fast(Map.of(), "delete", "greeter");
        assertEquals(0, deleted.exitCode(), deleted.toString());
    }

    /** {@code logs -f} streams from the daemon, and a client that goes (Ctrl-C) ends the daemon's side too. */
    @Test
    void logsFollowStreamsAndEndsWithTheClient() throws Exception {
        long daemon = z.daemonPid().orElseThrow();
        int socketsBefore = sockets(daemon);
        z.ok("start", "printer");
        var follow = z.background(Map.of(), "logs", "printer", "-f", "-n", "0");
        try {
            // The follow may attach after a restarted worker has printed its line (-n 0 shows nothing
            // earlier): restart until one of its lines arrives, which proves the stream follows.
            Await.until(Duration.ofSeconds(90), () -> {
                if (follow.out().contains("hello")) return true;
                z.ok("restart", "printer");
                return Await.within(Duration.ofSeconds(5), () -> follow.out().contains("hello"));
            }, "the follow printed a restarted worker's line");
        } finally {
            follow.process().destroy(); // SIGTERM, as Ctrl-C's SIGINT ends the JVM
            follow.process().waitFor(30, TimeUnit.SECONDS);
            z.ok("stop", "printer");
        }
        Await.until(Duration.ofSeconds(30), () -> sockets(daemon) <= socketsBefore, "the daemon closed the follow's connections");
    }

    /** The daemon's open sockets (control connections among them). */
    private static int sockets(long pid) {
        int n = 0;
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) n++;
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return n;
    }
}
