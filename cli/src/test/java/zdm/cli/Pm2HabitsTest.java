package zdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import zdm.config.AppSpec;
import zdm.protocol.AppDetail;
import zdm.protocol.AppView;
import zdm.protocol.Paths;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.supervisor.SpecViews;

/** Commands as pm2 and supervisorctl users type them, against a scripted daemon (what is sent, what is shown). */
class Pm2HabitsTest {
    @TempDir
    Path home;

    private static AppView web(int instances) {
        return new AppView("web", AppView.Status.RUNNING, AppView.Desired.RUNNING, instances, null, List.of());
    }

    /** A daemon that knows one app, web, with 2 workers. */
    private ScriptedDaemon daemon(Paths paths) throws Exception {
        return new ScriptedDaemon(paths, r -> List.of(switch (r) {
            case Request.Describe d -> new Response.Described(new AppDetail(web(2), SpecViews.of(
                    AppSpec.builder("web", List.of("node", "web.js")).instances(2).build(), false, Path.of("o"),
                    ZonedDateTime.now()), "o", "e", List.of()));
            case Request.ListApps l -> new Response.Apps(List.of(web(2), new AppView("api", AppView.Status.RUNNING, AppView.Desired.RUNNING, 1, null,
                    List.of())), "");
            default -> new Response.Done("ok");
        }));
    }

    @ParameterizedTest(name = "zdm scale web {0}")
    @CsvSource({"+1, 3", "-1, 1", "+0, 2", "5, 5"})
    void scaleTakesAChangeAsPm2Does(String change, int expected) throws Exception {
        var paths = new Paths(home);
        try (var d = daemon(paths)) {
            var run = CliRun.run(new CliContext(paths, new CliRun.CountingStarter()), "scale", "web", change);
            assertEquals(0, run.exitCode(), run.toString());
            assertEquals(new Request.Scale("web", expected), d.requests.getLast());
        }
    }

    @Test
    void scaleBelowOneIsAUsageErrorThatSaysWhy() throws Exception {
        var paths = new Paths(home);
        try (var d = daemon(paths)) {
            var run = CliRun.run(new CliContext(paths, new CliRun.CountingStarter()), "scale", "web", "-2");
            assertEquals(2, run.exitCode(), run.toString());
            assertTrue(run.err().startsWith("zdm: the number of workers must be between 1 and 1024, got 0 (2 -2)"), run.err());
        }
    }

    @ParameterizedTest(name = "zdm {0}")
    @CsvSource(delimiter = '#', textBlock = """
            save        # not needed: zdm keeps its state automatically
            resurrect   # not needed: zdm keeps its state automatically
            reset       # pm2's reset (zero the restart counters) has no zdm command
            tail        # zdm logs <app> -f follows
            jlist       # zdm ls --json prints the apps as JSON
            prettylist  # zdm ls --json | jq .
            env         # zdm describe <app> shows an app's environment
            avail       # zdm ls shows every app
            reread      # zdm start <file> re-reads an ecosystem file
            update      # zdm start <file> re-reads an ecosystem file
            """)
    void pm2AndSupervisorctlVerbsGetTheZdmWay(String verb, String hint) {
        var run = CliRun.run(new Paths(home), verb);
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals(List.of("zdm: unknown command '" + verb + "'"), run.err().lines().limit(1).toList());
        assertTrue(run.err().lines().toList().get(1).startsWith(hint), run.err());
    }

    @ParameterizedTest(name = "zdm {0}")
    @CsvSource({"delet", "delte", "kil", "flus", "restat"})
    void anUnknownWordIsNeverToldToDeleteOrKill(String word) {
        var run = CliRun.run(new Paths(home), word);
        assertEquals(2, run.exitCode(), run.toString());
        for (var never : List.of("delete", "del", "kill", "flush", "unstartup")) assertFalse(run.err().contains(never + "?") || run.err().contains(never + ","), run.err());
    }

    @Test
    void noHintIsForAWordThatIsAZdmCommand() {
        var root = new picocli.CommandLine(new ZdmCommand(new CliContext(new Paths(home), DaemonStarter.NEVER)));
        var commands = new java.util.HashSet<String>();
        root.getSubcommands().forEach((name, sub) -> {
            commands.add(name);
            commands.addAll(List.of(sub.getCommandSpec().aliases()));
        });
        var dead = new java.util.TreeSet<>(ForeignVerbs.words());
        dead.retainAll(commands);
        assertEquals(java.util.Set.of(), dead, "these hints can never be shown: the command of that name runs");
    }

    @Test
    void showAndInfoAreDescribe() throws Exception {
        var paths = new Paths(home);
        try (var d = daemon(paths)) {
            for (var verb : List.of("show", "info")) {
                var run = CliRun.run(new CliContext(paths, new CliRun.CountingStarter()), verb, "web");
                assertEquals(0, run.exitCode(), run.toString());
                assertEquals(new Request.Describe("web", false), d.requests.getLast());
            }
        }
    }

    @Test
    void lsNamesSomeAppsAndSuggestsForATypo() throws Exception {
        var paths = new Paths(home);
        try (var d = daemon(paths)) {
            var ctx = new CliContext(paths, new CliRun.CountingStarter());
            var run = CliRun.run(ctx, "ls", "--json", "api");
            assertEquals(0, run.exitCode(), run.toString());
            assertTrue(run.out().contains("\"api\"") && !run.out().contains("\"web\""), run.out());
            var typo = CliRun.run(ctx, "ls", "wbe");
            assertEquals(1, typo.exitCode(), typo.toString());
            assertEquals("zdm: no app named 'wbe'; did you mean \"web\"?\n", typo.err());
            var id = CliRun.run(ctx, "ls", "0");
            assertEquals("zdm: no app named '0': zdm has no numeric ids, name the app ('zdm ls' lists them)\n", id.err());
        }
    }

    @Test
    void logsAndFlushDefaultToEveryApp() throws Exception {
        var paths = new Paths(home);
        try (var d = daemon(paths)) {
            var ctx = new CliContext(paths, new CliRun.CountingStarter());
            assertEquals(0, CliRun.run(ctx, "flush").exitCode());
            assertEquals(new Request.Flush("all"), d.requests.getLast());
            CliRun.run(ctx, "logs", "-n", "5");
            assertTrue(d.requests.getLast() instanceof Request.Logs l && l.target().equals("all"), d.requests.toString());
        }
    }
}
