package zdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Help.Ansi;
import zdm.client.HelpText;
import zdm.protocol.Paths;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.view.Tty;

/**
 * Help without building commands: the pages rendered at build time ({@link HelpPages}; {@link HelpText}, what the
 * client prints off a terminal) are what picocli prints now, for every form; and the daemon's
 * {@link HelpCache} serves a page again as first printed, at the caller's width and in its colours.
 */
class HelpPagesTest {
    private static String resource() throws IOException {
        String file = HelpText.read();
        assertNotNull(file, "the build puts " + HelpText.RESOURCE + " on the class path (cli/pom.xml, exec-maven-plugin)");
        return file;
    }

    @Test
    void everyPageIsWhatPicocliPrintsOffATerminal() throws IOException {
        String file = resource();
        List<String[]> forms = HelpPages.forms();
        assertTrue(forms.size() > 60, forms.size() + " forms");
        for (String[] form : forms) {
            String page = HelpText.find(file, form);
            assertNotNull(page, "no page for zdm " + String.join(" ", form));
            var out = new StringWriter();
            var err = new StringWriter();
            var context = new CliContext(new Paths(Path.of("/nonexistent")), DaemonStarter.NEVER, Map.of());
            assertEquals(ExitCodes.OK, Cli.run(context, form, new PrintWriter(out), new PrintWriter(err)));
            assertEquals(out.toString(), page, "zdm " + String.join(" ", form));
            assertEquals("", err.toString());
        }
        assertTrue(HelpText.find(file, new String[] {"start", "--help"}).startsWith("Start an ecosystem file"));
    }

    @Test
    void otherWordsHaveNoPage() throws IOException {
        String file = resource();
        for (var words : List.of(new String[] {"help", "nosuch"}, new String[] {"ls"}, new String[] {"help", "start", "x"},
                new String[] {"--help", "start"}, new String[] {"star", "--help"})) {
            assertNull(HelpText.find(file, words), String.join(" ", words));
            assertNull(HelpText.plainPage(words, Map.of()), String.join(" ", words));
        }
    }

    /** The tests' stdout is no terminal: a page, unless the caller's environment forces picocli's colours. */
    @Test
    void thePlainPageIsForOutputWithoutColour() {
        String[] words = {"help", "start"};
        assertNotNull(HelpText.plainPage(words, Map.of()));
        assertNotNull(HelpText.plainPage(words, Map.of("CLICOLOR_FORCE", "0")));
        assertNotNull(HelpText.plainPage(words, Map.of("CLICOLOR_FORCE", "1", "NO_COLOR", "")));
        assertNull(HelpText.plainPage(words, Map.of("CLICOLOR_FORCE", "1")));
    }

    /** picocli's own guess for this process, made again for a caller (Help.Ansi.ansiPossible on Linux). */
    @Test
    void helpColoursFollowTheCallersTerminalAndEnvironment() {
        assertEquals(Ansi.AUTO, new CliContext(new Paths(Path.of("/h")), DaemonStarter.NEVER, Map.of()).helpAnsi());
        assertEquals(Ansi.ON, caller(true, Map.of()).helpAnsi());
        assertEquals(Ansi.OFF, caller(false, Map.of()).helpAnsi());
        assertEquals(Ansi.OFF, caller(true, Map.of("NO_COLOR", "")).helpAnsi());
        assertEquals(Ansi.ON, caller(false, Map.of("CLICOLOR_FORCE", "1")).helpAnsi());
        assertEquals(Ansi.OFF, caller(false, Map.of("CLICOLOR_FORCE", "0")).helpAnsi());
        assertEquals(Ansi.OFF, caller(true, Map.of("CLICOLOR", "0")).helpAnsi());
        assertEquals(Ansi.OFF, caller(true, Map.of("ConEmuANSI", "OFF")).helpAnsi());
        assertEquals(Ansi.OFF, caller(true, Map.of("CLICOLOR_FORCE", "1", "NO_COLOR", "1")).helpAnsi());
    }

    private static CliContext caller(boolean terminal, Map<String, String> env) {
        return caller(terminal, 100, env);
    }

    private static CliContext caller(boolean terminal, int width, Map<String, String> env) {
        return new CliContext(new Paths(Path.of("/h")), DaemonStarter.NEVER, env,
                new CliContext.Caller(Path.of("/"), ZoneOffset.UTC, new Tty(terminal, terminal, width)));
    }

    private static List<Response> run(DaemonCommands daemon, List<String> args, boolean terminal, int width) {
        var sent = new ArrayList<Response>();
        sent.add(daemon.run(new Request.Run(args, "/", Map.of(), "UTC", terminal, terminal, width, LaunchConf.BUILD), sent::add));
        return sent;
    }

    @Test
    void theDaemonPrintsAHelpPageOnceAndThenServesItAsPrinted() {
        var daemon = new DaemonCommands(new Paths(Path.of("/nonexistent/zdm-home")));
        List<Response> first = run(daemon, List.of("help", "start"), true, 100);
        List<Response> again = run(daemon, List.of("help", "start"), true, 100);
        assertEquals(first, again);
        assertEquals(new Response.Exit(ExitCodes.OK), again.getLast());
        assertSame(first.getFirst(), again.getFirst(), "the second came from the cache");
        String page = ((Response.Output) first.getFirst()).text();
        assertTrue(page.contains("\033["), "in colour on a terminal: " + page);
        // Another width, or no terminal: another page, as picocli prints it for that caller.
        List<Response> wide = run(daemon, List.of("help", "start"), true, 160);
        assertTrue(wide.size() > 1 && !wide.getFirst().equals(first.getFirst()));
        var out = new StringWriter();
        Cli.run(caller(true, 160, Map.of()), new String[] {"help", "start"}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertEquals(out.toString(), ((Response.Output) wide.getFirst()).text());
        List<Response> plain = run(daemon, List.of("help", "start"), false, 0);
        assertEquals(HelpPages.render(new String[] {"help", "start"}), ((Response.Output) plain.getFirst()).text());
        // What is no help page is run every time.
        List<Response> usage = run(daemon, List.of("help", "nosuch"), false, 0);
        List<Response> usageAgain = run(daemon, List.of("help", "nosuch"), false, 0);
        assertEquals(new Response.Exit(ExitCodes.USAGE), usageAgain.getLast());
        assertTrue(usage.getFirst() != usageAgain.getFirst());
    }
}
