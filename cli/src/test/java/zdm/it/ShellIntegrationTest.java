package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.protocol.AppView;
import zdm.test.Await;

/** The interactive shell in a real terminal (tmux) against a real daemon. */
@ExtendWith(ZdmHomes.class)
class ShellIntegrationTest {
    /** A JVM start on a busy 2-core machine, plus the first list request. */
    static final Duration OPEN = Duration.ofSeconds(40);
    ZdmHome z;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
        z.ecosystem("""
                apps:
                  - name: web
                    command: sleep 1000
                    min_uptime: 300ms
                    env: { ZDM_TEST_TAG: ${TAG} }
                  - name: ticker
                    command: [sh, -c, "while true; do echo tick; sleep 0.2; done"]
                    min_uptime: 300ms
                    env: { ZDM_TEST_TAG: ${TAG} }
                  - name: broken
                    command: "false"
                    max_restarts: 0
                    env: { ZDM_TEST_TAG: ${TAG} }
                """);
        z.zdm("start", "ecosystem.yaml"); // exits 1 because of broken, by design
        Await.until(ZdmHome.SHORT, () -> z.app("broken").status() == AppView.Status.ERRORED
                && z.app("web").status() == AppView.Status.RUNNING && z.app("ticker").status() == AppView.Status.RUNNING, "apps settled");
    }

    @Test
    void zdmAloneCompletesAppNamesRecallsHistoryAndSurvivesErrors() throws IOException {
        try (var pane = new TmuxPane(z.dir, z.zdmEnv(), z.zdmCommand())) {
            pane.await(OPEN, s -> lastLine(s).equals("zdm (3 apps, 1 errored)>"), "the prompt with the daemon's state");

            pane.type("describe we");
            pane.keys("Tab");
            pane.await(ZdmHome.SHORT, s -> lastLine(s).endsWith("> describe web"), "Tab completing the app name");
            pane.keys("Enter");
            pane.await(ZdmHome.SHORT, s -> count(s, "web (running, desired running)") == 1 && atPrompt(s), "describe web, then a prompt");

            pane.type("describe nosuch");
            pane.keys("Enter");
            pane.await(ZdmHome.SHORT, s -> s.contains("zdm: no app named 'nosuch'") && atPrompt(s), "the error, then a prompt again");

            pane.keys("Up");
            pane.await(ZdmHome.SHORT, s -> lastLine(s).endsWith("> describe nosuch"), "Up recalling the last line");
            pane.keys("C-u", "C-r");
            pane.type("we");
            pane.await(ZdmHome.SHORT, s -> s.contains("bck-i-search: we") && s.contains("describe web"), "Ctrl-R finding describe web");
            pane.keys("Enter");
            pane.await(ZdmHome.SHORT, s -> count(s, "web (running, desired running)") == 2 && atPrompt(s), "describe web run again");

            pane.type("exit");
            pane.keys("Enter");
            awaitExit(pane);
        }
        var history = z.home.resolve("shell_history");
        assertTrue(Files.readString(history).contains("describe web"), Files.readString(history));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(history)));
    }

    @Test
    void ctrlCEndsLogsFollowAndADaemonThatStoppedIsStartedAgain() throws IOException {
        try (var pane = new TmuxPane(z.dir, z.zdmEnv(), z.zdmCommand("shell"))) {
            pane.await(OPEN, ShellIntegrationTest::atPrompt, "the prompt");
            pane.type("describe web");
            pane.keys("C-c");
            pane.await(ZdmHome.SHORT, s -> count(s, "zdm (3 apps, 1 errored)>") == 2 && atPrompt(s), "Ctrl-C dropping the line");

            pane.type("logs ticker -f -n 0");
            pane.keys("Enter");
            pane.await(ZdmHome.SHORT, s -> count(s, "ticker[0] tick") >= 2, "followed log lines");
            pane.keys("C-c");
            String stopped = pane.await(ZdmHome.SHORT, s -> s.contains("zdm: interrupted") && atPrompt(s), "Ctrl-C back to the prompt");
            assertTrue(!stopped.contains("web (running"), "the dropped line did not run: " + stopped);
            int ticks = count(stopped, "ticker[0] tick");
            Await.holdsFor(Duration.ofSeconds(1), () -> count(pane.screen(), "ticker[0] tick") == ticks, "no more log lines");

            z.ok("kill");
            pane.type("ls");
            pane.keys("Enter");
            pane.await(OPEN, s -> s.contains("zdm: the daemon stopped while this shell was open")
                    && s.contains("zdm: daemon was not running; started it")
                    && java.util.regex.Pattern.compile("ticker +0 +\\d+ ").matcher(s).find() && atPrompt(s),
                    "ls saying the daemon stopped and starting it again");

            pane.keys("C-d");
            awaitExit(pane);
        }
    }

    /**
     * What runs until a key inside the shell (ls -w, monit, logs -f, events -f) ends on q or Ctrl-C
     * and gives the prompt its very next keystroke; help fits the 160 columns and lists only what
     * runs here; clear clears.
     */
    @Test
    void watchesAndFollowsEndOnQOrCtrlCWithoutLosingAKeystrokeAndHelpFitsTheTerminal() throws IOException {
        try (var pane = new TmuxPane(z.dir, z.zdmEnv(), z.zdmCommand("shell"), 160, 40)) {
            pane.await(OPEN, ShellIntegrationTest::atPrompt, "the prompt");

            pane.type("help");
            pane.keys("Enter");
            String help = pane.await(ZdmHome.SHORT, s -> s.contains("In this shell:") && atPrompt(s), "help");
            assertTrue(help.lines().anyMatch(l -> l.startsWith("  events ") && l.endsWith("config changes, who asked.")),
                    "a header longer than 80 columns on one line of a 160-column terminal:\n" + help);
            assertTrue(help.lines().anyMatch(l -> l.startsWith("  monit ")), help);
            assertTrue(help.lines().noneMatch(l -> l.matches("  (daemon|shell|run) .*")), "only what runs in the shell:\n" + help);

            pane.type("clear");
            pane.keys("Enter");
            Await.value(ZdmHome.SHORT, pane::visible, s -> s.strip().matches("zdm \\(.*\\)>"), "clear leaving the prompt alone on the screen");

            pane.type("ls -w");
            pane.keys("Enter");
            pane.await(ZdmHome.SHORT, s -> s.contains("(q or Ctrl-C to quit)"), "a watch frame");
            pane.type("q");
            pane.type("ping"); // typed at once: not one key may go to the watch's reader
            pane.keys("Enter");
            pane.await(ZdmHome.SHORT, s -> s.contains("> ping\npong: daemon") && atPrompt(s), "q, then ping whole at the prompt");
            assertTrue(!pane.screen().contains("Unable to create a system terminal"), "ls -w uses the shell's terminal:\n"
                    + pane.screen());

            pane.type("ls -w");
            pane.keys("Enter");
            pane.await(ZdmHome.SHORT, s -> count(s, "(q or Ctrl-C to quit)") == 2, "the watch again");
            pane.keys("C-c");
            pane.await(ZdmHome.SHORT, s -> count(s, "(q or Ctrl-C to quit)") == 2 && atPrompt(s), "Ctrl-C back to the prompt");

            pane.type("logs ticker -f -n 0");
            pane.keys("Enter");
            pane.await(ZdmHome.SHORT, s -> count(s, "ticker[0] tick") >= 2, "followed log lines");
            pane.type("q");
            String ended = pane.await(ZdmHome.SHORT, ShellIntegrationTest::atPrompt, "q ends logs -f");
            assertTrue(!ended.contains("zdm: interrupted"), "q is a normal end:\n" + ended);
            int ticks = count(ended, "ticker[0] tick");
            Await.holdsFor(Duration.ofSeconds(1), () -> count(pane.screen(), "ticker[0] tick") == ticks, "no more log lines");

            pane.type("events -f -n 1");
            pane.keys("Enter");
            // not echoed yet on a busy machine: wait, do not fail
            pane.await(ZdmHome.SHORT, s -> s.contains("> events -f -n 1")
                    && s.substring(s.lastIndexOf("> events -f -n 1")).lines().count() >= 2, "the last event, followed");
            pane.keys("C-c");
            pane.await(ZdmHome.SHORT, s -> s.contains("zdm: interrupted") && atPrompt(s), "Ctrl-C ends events -f");

            pane.type("monit");
            pane.keys("Enter");
            pane.await(ZdmHome.SHORT, s -> s.contains("last log lines of web"), "monit on the first app");
            pane.keys("Down");
            pane.await(ZdmHome.SHORT, s -> s.contains("last log lines of ticker") && s.contains("ticker[0] tick"), "Down selects ticker");
            pane.type("q");
            pane.type("ping");
            pane.keys("Enter");
            pane.await(ZdmHome.SHORT, s -> count(s, "pong: daemon") == 2 && atPrompt(s), "q, then ping whole at the prompt");

            pane.keys("C-d");
            awaitExit(pane);
        }
    }

    /** pm2's monit in a terminal of its own: the table with CPU and memory, the chosen app's lines, q quits. */
    @Test
    void monitShowsTheWorkersAndTheSelectedAppsLastLogLinesUntilQ() throws IOException {
        try (var pane = new TmuxPane(z.dir, z.zdmEnv(), z.zdmCommand("monit", "ticker"), 100, 30)) {
            String screen = pane.await(OPEN, s -> s.contains("last log lines of ticker") && count(s, "ticker[0] tick") >= 3,
                    "monit with ticker's lines");
            assertTrue(screen.lines().anyMatch(l -> l.startsWith("app ") && l.contains("cpu") && l.contains("memory")), screen);
            pane.await(ZdmHome.SHORT, s -> !s.equals(screen), "a later frame");
            pane.keys("Up");
            pane.await(ZdmHome.SHORT, s -> s.contains("last log lines of web"), "Up selects the app before ticker");
            pane.type("q");
            Await.until(ZdmHome.SHORT, () -> read(TmuxPane.exitFile(z.dir)).equals("exit 0"), "q ends monit with exit 0");
        }
    }

    private void awaitExit(TmuxPane pane) {
        var exitFile = TmuxPane.exitFile(z.dir);
        try {
            Await.until(ZdmHome.SHORT, () -> read(exitFile).equals("exit 0"), "the shell exiting with 0");
        } catch (AssertionError e) {
            String screen;
            try {
                screen = pane.screen();
            } catch (AssertionError gone) {
                screen = "(the pane is gone)";
            }
            throw new AssertionError(e.getMessage() + "; exit file: '" + read(exitFile) + "'; screen:\n" + screen, e);
        }
    }

    private static String read(java.nio.file.Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "";
        }
    }

    static String lastLine(String screen) {
        return TmuxPane.lastLine(screen);
    }

    static boolean atPrompt(String screen) {
        return lastLine(screen).matches("zdm \\(.*\\)>");
    }

    static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) n++;
        return n;
    }
}
