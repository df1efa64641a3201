package zdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.client.FastClient;
import zdm.client.Terminal;
import zdm.protocol.ErrorKind;
import zdm.protocol.Paths;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.protocol.Wire;

/**
 * The fast path's client ({@link FastPath}) against a scripted daemon on a real Unix socket: it sends
 * the protocol's {@code Run}, prints the output frames as they are, exits with the daemon's code, and
 * steps aside (printing nothing, or the daemon's notice) whenever the full CLI must run the command.
 * FastPathIntegrationTest compares the two paths against a real daemon.
 */
class FastPathTest {
    @TempDir
    Path home;

    private Paths paths() {
        return new Paths(home);
    }

    private record Fast(OptionalInt code, String out, String err) {}

    private Fast fast(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        OptionalInt code = FastPath.run(paths(), args, new PrintWriter(out), new PrintWriter(err));
        return new Fast(code, out.toString(), err.toString());
    }

    @Test
    void theRequestIsTheProtocolsRun() throws Exception {
        byte[] bytes = FastClient.request(new String[] {"logs", "web", "-n", "20"}, "/srv/app", Map.of("PATH", "/bin", "Q", "\"ü\\"),
                "Asia/Tokyo", new Terminal(true, false, 93), "0.1.0 build");
        assertEquals(new Wire.Envelope(Wire.PROTOCOL_VERSION, new Request.Run(List.of("logs", "web", "-n", "20"), "/srv/app",
                        Map.of("PATH", "/bin", "Q", "\"ü\\"), "Asia/Tokyo", true, false, 93, "0.1.0 build")),
                Wire.decodeRequest(bytes));
    }

    @Test
    void outputIsPrintedAsItIsAndTheExitCodeIsTheDaemons() throws Exception {
        String table = "app  mode\n\033[32mweb\033[0m  fork \"quoted\" \\ ü\n";
        try (var daemon = new ScriptedDaemon(paths(), r -> List.of(new Response.Follows(), new Response.Output(table, false),
                new Response.Output("zdm: oops\n", true), new Response.Output("more\n", false), new Response.Exit(3)))) {
            assertEquals(new Fast(OptionalInt.of(3), table + "more\n", "zdm: oops\n"), fast("describe", "web"));
            var run = (Request.Run) daemon.requests.getFirst();
            assertEquals(List.of("describe", "web"), run.args());
            assertEquals(System.getProperty("user.dir"), run.cwd());
            assertEquals(System.getenv(), run.env());
            assertEquals(java.time.ZoneId.systemDefault(), CallerZone.of(run.zone()));
            assertEquals(LaunchConf.BUILD, run.build());
        }
    }

    @Test
    void runHereLeavesTheCommandToTheFullCliAfterTheDaemonsNotice() throws Exception {
        var answers = new ArrayList<List<Response>>(List.of(
                List.of(new Response.RunHere(null)),
                List.of(new Response.RunHere("the running daemon is of another build")),
                List.of())); // the connection closes before any output: the full CLI asks again
        try (var _ = new ScriptedDaemon(paths(), r -> answers.removeFirst())) {
            assertEquals(new Fast(OptionalInt.empty(), "", ""), fast("ls", "-w"));
            assertEquals(new Fast(OptionalInt.empty(), "", "zdm: the running daemon is of another build\n"), fast("ls"));
            assertEquals(new Fast(OptionalInt.empty(), "", ""), fast("ls"));
        }
        assertTrue(answers.isEmpty());
    }

    @Test
    void aDaemonFromBeforeTheFastPathIsNamedAndTheFullCliRuns() throws Exception {
        // What a daemon that does not know "run" answers (its Wire cannot decode the request).
        try (var _ = new ScriptedDaemon(paths(), r -> List.of(Response.Failed.of(ErrorKind.BAD_REQUEST,
                "malformed request: Could not resolve type id 'run'")))) {
            assertEquals(new Fast(OptionalInt.empty(), "", "zdm: " + FastClient.OLDER_DAEMON + "\n"), fast("describe", "web"));
        }
    }

    /** The whole client, as a user runs it: the notice, then the full path's own answer from the same daemon. */
    @Test
    void theClientFallsBackToTheFullPathWhenTheDaemonIsOlder() throws Exception {
        try (var daemon = new ScriptedDaemon(paths(), r -> r instanceof Request.Ping ? List.of(ScriptedDaemon.pong(paths()))
                : List.of(Response.Failed.of(ErrorKind.BAD_REQUEST, "malformed request: Could not resolve type id 'run'")))) {
            var pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), "zdm.cli.Main", "ping");
            pb.environment().put("ZDM_HOME", home.toString());
            pb.environment().remove("ZDM_FAST_PATH");
            pb.redirectError(home.resolve("err.txt").toFile()).redirectOutput(home.resolve("out.txt").toFile());
            Process p = pb.start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "zdm ping did not end");
            String err = Files.readString(home.resolve("err.txt"));
            assertEquals(0, p.exitValue(), err);
            assertEquals("zdm: " + FastClient.OLDER_DAEMON + "\n", err);
            assertEquals(CliRun.run(paths(), "ping").out(), Files.readString(home.resolve("out.txt")));
            assertEquals(List.of("run", "ping", "ping"), daemon.requests.stream().map(r -> r.getClass().getSimpleName().toLowerCase()).toList());
        }
    }

    @Test
    void aConnectionLostAfterSomeOutputIsAnErrorNotASecondRun() throws Exception {
        try (var _ = new ScriptedDaemon(paths(), r -> List.of(new Response.Output("web[0] started\n", false)))) {
            Fast fast = fast("start", "web");
            assertEquals(OptionalInt.of(ExitCodes.DAEMON), fast.code());
            assertEquals("web[0] started\n", fast.out());
            assertTrue(fast.err().startsWith("zdm: the daemon closed the connection"), fast.err());
        }
        try (var _ = new ScriptedDaemon(paths(), r -> List.of(new Response.Follows(), new Response.Output("a line\n", false)))) {
            assertEquals(new Fast(OptionalInt.of(ExitCodes.OK), "a line\n", ""), fast("logs", "web", "-f")); // zdm kill ends a follow
        }
    }

    @Test
    void noDaemonAndTheFullPathsCommandsNeverComeHere() {
        assertEquals(new Fast(OptionalInt.empty(), "", ""), fast("ls")); // no socket: the full CLI auto-starts one
        assertFalse(Files.exists(home.resolve("zdm.sock")));
        assertFalse(FastPath.applies(new String[0])); // the shell
        for (String word : LaunchConf.FULL) assertFalse(FastPath.applies(new String[] {word, "--help"}), word);
        assertTrue(FastPath.applies(new String[] {"describe", "web"}));
    }

    @Test
    void everyFullPathWordIsACommand() {
        var quiet = new PrintWriter(java.io.Writer.nullWriter());
        var commands = Cli.commandLine(new CliContext(paths(), DaemonStarter.NEVER), quiet, quiet).getSubcommands();
        for (String word : LaunchConf.FULL) assertTrue(commands.containsKey(word), word);
        assertTrue(LaunchConf.BUILD.startsWith(Version.VERSION + " 20"), LaunchConf.BUILD); // filled in by the build
    }

    /** bash's reading of bin/lib/launch.conf (what bin/zdm uses), one word per line. */
    private static List<String> sourcedByBash(String script) throws Exception {
        var bash = new ProcessBuilder("bash", "-c", "source lib/launch.sh && " + script)
                .directory(Path.of("..", "bin").toFile()).redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes());
        assertTrue(bash.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, bash.exitValue(), out);
        return out.lines().toList();
    }

    /** bin/zdm measures a terminal's width itself (bash's checkwinsize) and the JVM takes it, below an exported COLUMNS. */
    @Test
    void theLauncherMeasuresTheTerminalsWidthAndTheJvmTakesIt() throws Exception {
        String measure = "source lib/launch.sh && zdm_terminal_width && echo \"width=$REPLY columns=${COLUMNS-unset}\"";
        var pty = new ProcessBuilder("script", "-qec", "stty cols 97 rows 20; bash -c '" + measure + "'; COLUMNS=70 bash -c '"
                + measure + "'; bash -c '" + measure + "' 2>/dev/null", "/dev/null").directory(Path.of("..", "bin").toFile())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pty.environment().remove("COLUMNS");
        Process p = pty.start();
        String out = new String(p.getInputStream().readAllBytes()).replace("\r", "");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        // In a terminal: measured, and not left in the environment; an exported COLUMNS is left to the JVM;
        // with stderr elsewhere too.
        assertEquals(List.of("width=97 columns=unset", "width= columns=70", "width=97 columns=unset"), out.lines().toList());
        assertEquals(List.of("width= columns=unset"), sourcedByBash(measure)); // no terminal
        assertEquals(70, Terminal.columns("70", "97"));
        assertEquals(97, Terminal.columns(null, "97"));
        assertEquals(97, Terminal.columns("wide", "97"));
        assertEquals(20, Terminal.columns(null, "3"));
        assertEquals(0, Terminal.columns("", null)); // ask the terminal
    }

    @Test
    void bashAndJavaReadTheSameCommandsAndDaemonFlags() throws Exception {
        assertEquals(new TreeSet<>(LaunchConf.FULL), new TreeSet<>(sourcedByBash("printf '%s\\n' \"${ZDM_FULL_COMMANDS[@]}\"")));
        assertEquals(DaemonLauncher.JVM_FLAGS, sourcedByBash("printf '%s\\n' \"${ZDM_DAEMON_FLAGS[@]}\""));
        assertTrue(DaemonLauncher.JVM_FLAGS.contains("-XX:+ExitOnOutOfMemoryError"), DaemonLauncher.JVM_FLAGS.toString());
        assertTrue(DaemonLauncher.JVM_FLAGS.contains("-XX:MaxDirectMemorySize=128m"), "the proxy's buffer bounds derive from it");
        assertTrue(sourcedByBash("printf '%s\\n' \"${ZDM_CLIENT_FLAGS[@]}\"").contains("-XX:TieredStopAtLevel=1"));
        // bin/zdm's choice of cache: the fast one exactly where Main takes the fast path.
        String decide = "for a in 'describe web' 'ls' 'kill' 'startup' '' 'monit'; do zdm_fast_command $a && echo \"$a: fast\" || echo \"$a: full\"; done";
        assertEquals(List.of("describe web: fast", "ls: fast", "kill: full", "startup: full", ": full", "monit: full"),
                sourcedByBash(decide));
    }
}
