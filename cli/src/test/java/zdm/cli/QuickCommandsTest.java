package zdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import zdm.protocol.ErrorKind;
import zdm.protocol.Paths;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.protocol.Wire;
import zdm.view.Tty;

/**
 * The quick path ({@link QuickCommands}) against a scripted daemon on a real Unix socket: it must mean
 * what picocli means by the same words, send requests the daemon decodes, print what the full CLI
 * prints, and step aside (printing nothing) whenever the full CLI has something to say instead.
 * QuickPathIntegrationTest compares the two paths against a real daemon.
 */
class QuickCommandsTest {
    @TempDir
    Path home;

    private Paths paths() {
        return new Paths(home);
    }

    private record Quick(OptionalInt code, String out) {}

    private Quick quick(String... args) {
        var out = new StringWriter();
        OptionalInt code = QuickCommands.run(paths(), args, new PrintWriter(out));
        return new Quick(code, out.toString());
    }

    @Test
    void everyVectorIsTheSameCommandForPicocli() {
        var quiet = new PrintWriter(Writer.nullWriter());
        var context = new CliContext(paths(), DaemonStarter.NEVER);
        for (var vector : QuickCommands.VECTORS.keySet()) {
            var parsed = Cli.commandLine(context, quiet, quiet).parseArgs(vector.toArray(String[]::new));
            CommandLine.ParseResult sub = parsed.subcommand();
            String name = sub.commandSpec().name();
            assertEquals(QuickCommands.VECTORS.get(vector) == QuickCommands.Kind.PING ? "ping" : "ls", name, vector.toString());
            assertEquals(vector.contains("--json"), sub.hasMatchedOption("--json"), vector.toString());
            assertEquals(vector.size() - 1, sub.matchedOptions().size(), vector + ": no other option may be set");
        }
    }

    /** bash's reading of bin/lib/launch.conf (what bin/zdm uses), one word per line. */
    private static List<String> sourcedByBash(String array) throws Exception {
        var bash = new ProcessBuilder("bash", "-c", "source lib/launch.sh && printf '%s\\n' \"${" + array + "[@]}\"")
                .directory(Path.of("..", "bin").toFile()).redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes());
        assertEquals(0, bash.waitFor(), out);
        return out.lines().toList();
    }

    @Test
    void bashAndJavaReadTheSameVectorsAndDaemonFlags() throws Exception {
        Set<String> java = new TreeSet<>();
        for (var vector : QuickCommands.VECTORS.keySet()) java.add(String.join(" ", vector));
        assertEquals(java, new TreeSet<>(sourcedByBash("ZDM_QUICK_COMMANDS")));
        assertEquals(DaemonLauncher.JVM_FLAGS, sourcedByBash("ZDM_DAEMON_FLAGS"));
        assertTrue(DaemonLauncher.JVM_FLAGS.contains("-XX:+ExitOnOutOfMemoryError"), DaemonLauncher.JVM_FLAGS.toString());
        assertTrue(sourcedByBash("ZDM_CLIENT_FLAGS").contains("-XX:TieredStopAtLevel=1"));
    }

    @Test
    void requestsAreTheProtocolsRecords() throws Exception {
        assertEquals(new Wire.Envelope(Wire.PROTOCOL_VERSION, new Request.Ping()),
                Wire.decodeRequest(QuickCommands.request(QuickCommands.Kind.PING, Tty.PLAIN)));
        assertEquals(new Wire.Envelope(Wire.PROTOCOL_VERSION, new Request.ListText(false, true, true, 93)),
                Wire.decodeRequest(QuickCommands.request(QuickCommands.Kind.TABLE, new Tty(true, true, 93))));
        assertEquals(new Wire.Envelope(Wire.PROTOCOL_VERSION, new Request.ListText(true, false, false, 0)),
                Wire.decodeRequest(QuickCommands.request(QuickCommands.Kind.JSON, Tty.PLAIN)));
    }

    @Test
    void pingPrintsWhatTheFullCliPrints() throws Exception {
        try (var daemon = new ScriptedDaemon(paths(), r -> List.of(ScriptedDaemon.pong(paths())))) {
            Quick quick = quick("ping");
            assertEquals(OptionalInt.of(0), quick.code());
            assertEquals(CliRun.run(paths(), "ping").out(), quick.out());
            assertEquals(List.of(new Request.Ping(), new Request.Ping()), daemon.requests);
        }
    }

    @Test
    void lsPrintsTheDaemonsTextAsItIs() throws Exception {
        String table = "app  mode\n\033[32mweb\033[0m  fork \"quoted\" \\ ü\n";
        try (var daemon = new ScriptedDaemon(paths(), r -> List.of(new Response.Text(table)))) {
            assertEquals(new Quick(OptionalInt.of(0), table), quick("status"));
            assertEquals(new Quick(OptionalInt.of(0), table), quick("ls", "--json"));
            assertEquals(List.of(new Request.ListText(false, false, false, 0), new Request.ListText(true, false, false, 0)),
                    daemon.requests);
        }
    }

    @Test
    void anythingButTheExpectedAnswerLeavesItToTheFullCliAndPrintsNothing() throws Exception {
        var answers = new ArrayList<List<Response>>(List.of(
                List.of(Response.Failed.of(ErrorKind.BAD_REQUEST, "unknown request type list-text")), // an older daemon
                List.of(new Response.Done("not a text")),
                List.of(new Response.Progress("a line first")),
                List.of())); // the connection closes without an answer
        try (var _ = new ScriptedDaemon(paths(), r -> answers.removeFirst())) {
            for (int i = 0; i < 4; i++) assertEquals(new Quick(OptionalInt.empty(), ""), quick("ls"), "answer " + i);
        }
        assertTrue(answers.isEmpty());
    }

    @Test
    void noDaemonOrOtherWordsAreLeftToTheFullCli() {
        assertEquals(new Quick(OptionalInt.empty(), ""), quick("ls")); // no socket: the full CLI auto-starts one
        assertEquals(new Quick(OptionalInt.empty(), ""), quick("ls", "--debug"));
        assertEquals(new Quick(OptionalInt.empty(), ""), quick("ls", "-w"));
        assertEquals(new Quick(OptionalInt.empty(), ""), quick("ping", "--help"));
        assertEquals(new Quick(OptionalInt.empty(), ""), quick());
        assertFalse(Files.exists(home.resolve("zdm.sock")));
    }
}
