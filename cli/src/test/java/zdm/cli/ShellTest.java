package zdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Parser.ParseContext;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.protocol.AppView;
import zdm.protocol.Paths;
import zdm.protocol.Request;
import zdm.protocol.Response;

/** The shell's parts that need no terminal; the shell itself is tested in a real one by ShellIntegrationTest. */
class ShellTest {
    @TempDir
    Path home;

    @Test
    void withoutATerminalZdmAlonePrintsUsageAndShellRefuses() {
        var alone = CliRun.run(new Paths(home), new String[0]);
        assertEquals(2, alone.exitCode(), alone.toString());
        assertTrue(alone.err().contains("Usage: zdm"), alone.err());

        var shell = CliRun.run(new Paths(home), "shell");
        assertEquals(2, shell.exitCode(), shell.toString());
        assertEquals("zdm: the shell needs a terminal on stdin and stdout; in scripts run one command per zdm call,"
                + " e.g. 'zdm ls'\n", shell.err());
    }

    @Test
    void promptSummarizesTheDaemonsState() {
        assertEquals("zdm (no daemon)> ", ShellPrompt.render(new DaemonPeek.Sight.NoDaemon()));
        assertEquals("zdm (daemon busy)> ", ShellPrompt.render(new DaemonPeek.Sight.Busy()));
        assertEquals("zdm (daemon unreachable)> ", ShellPrompt.render(new DaemonPeek.Sight.Unreachable("denied")));
        assertEquals("zdm (no apps)> ", ShellPrompt.render(new DaemonPeek.Sight.Apps(List.of())));
        assertEquals("zdm (1 app)> ", ShellPrompt.render(new DaemonPeek.Sight.Apps(List.of(app("web", AppView.Status.RUNNING)))));
        var apps = List.of(app("web", AppView.Status.RUNNING), app("api", AppView.Status.ERRORED), app("job", AppView.Status.DEGRADED), app("x", AppView.Status.STOPPED));
        assertEquals("zdm (4 apps, 1 errored, 1 degraded)> ", ShellPrompt.render(new DaemonPeek.Sight.Apps(apps)));
    }

    @Test
    void aPromptWithoutADaemonDoesNotStartOne() {
        var starter = new CliRun.CountingStarter();
        var prompt = new ShellPrompt(new DaemonPeek(new CliContext(new Paths(home), starter), Duration.ofSeconds(1)));
        assertEquals("zdm (no daemon)> ", prompt.next());
        assertFalse(prompt.sawDaemon());
        assertEquals(0, starter.calls.get());
    }

    @Test
    void appArgumentsCompleteWithTheDaemonsAppNamesAndThePromptCountsThem() throws Exception {
        var apps = List.of(app("web", AppView.Status.RUNNING), app("api", AppView.Status.ERRORED));
        try (var daemon = new ScriptedDaemon(new Paths(home), r -> List.of(new Response.Apps(apps, null)))) {
            assertEquals(List.of("web", "api", "all"), complete("stop "));
            assertEquals(List.of("web", "api", "all"), complete("zdm logs -f "));
            assertEquals(List.of("web", "api"), complete("describe "));
            assertEquals(List.of("web", "api"), complete("scale "));
            var prompt = new ShellPrompt(new DaemonPeek(new CliContext(new Paths(home), DaemonStarter.NEVER), Duration.ofSeconds(1)));
            assertEquals("zdm (2 apps, 1 errored)> ", prompt.next());
            assertTrue(prompt.sawDaemon());
            assertTrue(daemon.requests.stream().allMatch(r -> r instanceof Request.ListApps), daemon.requests.toString());
        }
    }

    @Test
    void wordsDropALeadingZdmAndATrailingEmptyWord() {
        assertEquals(List.of("ls"), Shell.words(List.of("zdm", "ls", "")));
        assertEquals(List.of("start", "a b.js"), Shell.words(List.of("start", "a b.js")));
        assertEquals(List.of(), Shell.words(List.of("")));
    }

    @Test
    void completesCommandsOptionsAndFixedWordsFromTheCommandTree() {
        List<String> commands = complete("");
        assertTrue(commands.containsAll(List.of("start", "stop", "ls", "describe", "logs", "exit", "quit")), commands.toString());
        assertFalse(commands.contains("daemon") || commands.contains("shell") || commands.contains("list"), commands.toString());
        assertTrue(complete("zdm ").contains("describe"));

        List<String> logsOptions = complete("logs web -");
        assertTrue(logsOptions.containsAll(List.of("-f", "--follow", "-n", "--lines", "--debug")), logsOptions.toString());
        assertEquals(List.of("all"), complete("stop "), "no daemon, so no app names; 'all' for stop");
        assertEquals(List.of("all"), complete("logs -n 5 "), "the value of -n is skipped");
        assertEquals(List.of(), complete("describe "), "describe takes one app, never 'all'");
        assertEquals(List.of(), complete("scale web "), "<N> has no candidates");
        assertTrue(complete("version ").contains("--help"), "a command without parameters offers its options");
        assertTrue(complete("ls -").contains("--json"), "a '-' offers the options of a command that also takes app names");
        assertTrue(complete("help ").contains("reload"));
    }

    private List<String> complete(String line) {
        var parsed = new DefaultParser().parse(line, line.length(), ParseContext.COMPLETE);
        var context = new CliContext(new Paths(home), DaemonStarter.NEVER);
        var peek = new DaemonPeek(context, Duration.ofSeconds(1));
        var completer = new CommandCompleter(Cli.commandLine(context, new java.io.PrintWriter(java.io.Writer.nullWriter()), new java.io.PrintWriter(java.io.Writer.nullWriter())).getCommandSpec(), new AppNameCompleter(peek));
        var candidates = new ArrayList<Candidate>();
        completer.complete(null, parsed, candidates);
        return candidates.stream().map(Candidate::value).toList();
    }

    private static AppView app(String name, AppView.Status status) {
        return new AppView(name, status, AppView.Desired.RUNNING, 1, null, List.of());
    }
}
