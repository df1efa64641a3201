package zdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import zdm.protocol.Paths;
import zdm.protocol.Response;

/**
 * Every subcommand of {@link ZdmCommand}, with missing, extra and wrong arguments: one message line,
 * one hint line, exit code 2, nothing sent to the daemon and no daemon started. The table must cover
 * every registered subcommand; a new command without rows here fails {@link #everySubcommandIsCovered}.
 */
class EveryCommandUsageTest {

    enum Kind { MISSING, EXTRA, WRONG }

    record Case(String command, Kind kind, String args, String message) {
        @Override
        public String toString() {
            return "zdm " + args + " (" + kind.name().toLowerCase() + ")";
        }
    }

    /** Commands whose arguments are all optional: no MISSING row is possible for them. */
    static final Set<String> NOTHING_REQUIRED = Set.of("ls", "monit", "ping", "kill", "version", "daemon", "help", "shell", "events",
            "startup", "unstartup", "logs", "flush", "dashboard");
    /** Commands that take any number of arguments (ls APP...): no EXTRA row is possible for them. */
    static final Set<String> ANY_NUMBER = Set.of("ls");

    static final List<Case> CASES = List.of(
            new Case("start", Kind.MISSING, "start", "Missing required parameter: '<target>'"),
            new Case("start", Kind.EXTRA, "start web api", "unexpected argument 'api'"),
            new Case("start", Kind.WRONG, "start web --instances", "Missing required parameter for option '--instances'"),
            new Case("start", Kind.WRONG, "start ./app.js --port http", "Invalid value for option '--port'"),
            new Case("stop", Kind.MISSING, "stop", "Missing required parameter: '<app|all>'"),
            new Case("stop", Kind.EXTRA, "stop web api", "unexpected argument 'api'"),
            new Case("stop", Kind.WRONG, "stop --force web", "Unknown option: '--force'"),
            new Case("restart", Kind.MISSING, "restart", "Missing required parameter: '<app|all>'"),
            new Case("restart", Kind.EXTRA, "restart web api", "unexpected argument 'api'"),
            new Case("restart", Kind.WRONG, "restart -x web", "Unknown option: '-x'"),
            new Case("reload", Kind.MISSING, "reload", "Missing required parameter: '<app|all>'"),
            new Case("reload", Kind.EXTRA, "reload web api", "unexpected argument 'api'"),
            new Case("reload", Kind.WRONG, "reload --now web", "Unknown option: '--now'"),
            new Case("delete", Kind.MISSING, "delete", "Missing required parameter: '<app|all>'"),
            new Case("delete", Kind.EXTRA, "delete web api", "unexpected argument 'api'"),
            new Case("delete", Kind.WRONG, "del --yes web", "Unknown option: '--yes'"),
            new Case("ls", Kind.WRONG, "ls --json=yes", "Invalid value for option '--json'"),
            new Case("monit", Kind.EXTRA, "monit web api", "unexpected argument 'api'"),
            new Case("monit", Kind.WRONG, "monit --json", "Unknown option: '--json'"),
            new Case("describe", Kind.MISSING, "describe", "Missing required parameter: '<app>'"),
            new Case("describe", Kind.EXTRA, "describe web api", "unexpected argument 'api'"),
            new Case("describe", Kind.WRONG, "describe --all web", "Unknown option: '--all'"),
            new Case("logs", Kind.EXTRA, "logs web api", "unexpected argument 'api'"),
            new Case("logs", Kind.WRONG, "logs -n many web", "'many' is not an int"),
            new Case("scale", Kind.MISSING, "scale web", "Missing required parameter: '<count>'"),
            new Case("scale", Kind.EXTRA, "scale web 2 3", "unexpected argument '3'"),
            new Case("scale", Kind.WRONG, "scale web three", "<count> must be a number of workers (4) or a change"),
            new Case("ping", Kind.EXTRA, "ping daemon", "unexpected argument 'daemon'"),
            new Case("ping", Kind.WRONG, "ping --timeout 3", "Unknown options: '--timeout', '3'"),
            new Case("kill", Kind.EXTRA, "kill 123", "unexpected argument '123'"),
            new Case("kill", Kind.WRONG, "kill -9", "unexpected argument '-9'"),
            new Case("version", Kind.EXTRA, "version 2", "unexpected argument '2'"),
            new Case("version", Kind.WRONG, "version --short", "Unknown option: '--short'"),
            new Case("daemon", Kind.EXTRA, "daemon start", "unexpected argument 'start'"),
            new Case("daemon", Kind.WRONG, "daemon --port 3", "Unknown options: '--port', '3'"),
            new Case("help", Kind.EXTRA, "help ls ls", "unexpected argument 'ls'"),
            new Case("help", Kind.WRONG, "help frobnicate", "unknown command 'frobnicate'"),
            new Case("shell", Kind.EXTRA, "shell web", "unexpected argument 'web'"),
            new Case("shell", Kind.WRONG, "shell --login", "Unknown option: '--login'"),
            new Case("events", Kind.EXTRA, "events web api", "unexpected argument 'api'"),
            new Case("events", Kind.WRONG, "events -n many web", "'many' is not an int"),
            new Case("flush", Kind.EXTRA, "flush web api", "unexpected argument 'api'"),
            new Case("flush", Kind.WRONG, "flush --all web", "Unknown option: '--all'"),
            new Case("dashboard", Kind.EXTRA, "dashboard web", "unexpected argument 'web'"),
            new Case("dashboard", Kind.WRONG, "dashboard --port 9300", "Unknown options: '--port', '9300'"),
            new Case("completion", Kind.MISSING, "completion", "Missing required parameter: '<shell>'"),
            new Case("completion", Kind.EXTRA, "completion bash zsh", "unexpected argument 'zsh'"),
            new Case("completion", Kind.WRONG, "completion fish", "fish"),
            new Case("export", Kind.MISSING, "export kubernetes", "Missing required parameter: '<file>'"),
            new Case("export", Kind.EXTRA, "export kubernetes a.yaml b.yaml", "unexpected argument 'b.yaml'"),
            new Case("export", Kind.WRONG, "export kubernetes a.yaml --replicas 3", "Unknown options: '--replicas', '3'"),
            new Case("startup", Kind.EXTRA, "startup now", "unexpected argument 'now'"),
            new Case("startup", Kind.WRONG, "startup --user --system", "mutually exclusive"),
            new Case("unstartup", Kind.EXTRA, "unstartup now", "unexpected argument 'now'"),
            new Case("unstartup", Kind.WRONG, "unstartup --print", "Unknown option: '--print'"),
            new Case("run", Kind.MISSING, "run", "Missing required parameter: '<ecosystem.yaml>'"),
            new Case("run", Kind.EXTRA, "run a.yaml b.yaml", "unexpected argument 'b.yaml'"),
            new Case("run", Kind.WRONG, "run --detach a.yaml", "Unknown option: '--detach'"));

    @TempDir
    Path home;

    static Stream<Case> cases() {
        return CASES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneLineAHintAndExitTwo(Case c) throws Exception {
        Paths paths = new Paths(home);
        var starter = new CliRun.CountingStarter();
        try (var daemon = new ScriptedDaemon(paths, r -> List.of(new Response.Done("should not be asked")))) {
            CliRun run = CliRun.run(new CliContext(paths, starter), c.args().split(" "));
            assertEquals(2, run.exitCode(), run.err());
            List<String> lines = run.err().lines().toList();
            assertEquals(2, lines.size(), "one message line and one hint line: " + run.err());
            assertTrue(lines.get(0).startsWith("zdm: ") && lines.get(0).contains(c.message()), lines.get(0));
            assertTrue(lines.get(1).contains("Try 'zdm") && lines.get(1).endsWith(" --help'"), lines.get(1));
            assertEquals("", run.out());
            assertEquals(List.of(), daemon.requests, "a usage error never reaches the daemon");
            assertEquals(0, starter.calls.get(), "a usage error never starts a daemon");
        }
    }

    @Test
    void everySubcommandIsCovered() {
        var root = new CommandLine(new ZdmCommand(new CliContext(new Paths(home), DaemonStarter.NEVER)));
        Set<String> commands = new TreeSet<>(root.getSubcommands().values().stream()
                .map(cl -> cl.getCommandName()).collect(Collectors.toSet()));
        Map<String, Set<Kind>> covered = CASES.stream().collect(Collectors.groupingBy(Case::command,
                Collectors.mapping(Case::kind, Collectors.toSet())));
        for (String command : commands) {
            Set<Kind> kinds = covered.getOrDefault(command, Set.of());
            var needed = new java.util.HashSet<>(NOTHING_REQUIRED.contains(command) ? Set.of(Kind.EXTRA, Kind.WRONG) : Set.of(Kind.values()));
            if (ANY_NUMBER.contains(command)) needed.remove(Kind.EXTRA);
            assertTrue(kinds.containsAll(needed), "zdm " + command + " needs usage-error rows for " + needed
                    + " in EveryCommandUsageTest.CASES, has " + kinds);
        }
        assertEquals(commands, new TreeSet<>(covered.keySet()), "rows only for registered commands");
        for (String command : NOTHING_REQUIRED) {
            var spec = root.getSubcommands().get(command).getCommandSpec();
            assertTrue(spec.positionalParameters().stream().noneMatch(p -> p.required())
                    && spec.options().stream().noneMatch(o -> o.required()
                            // an option of an exclusive group is "required" within its group; the group may be optional
                            && (o.group() == null || o.group().multiplicity().min() > 0)),
                    "zdm " + command + " now has a required argument: add a MISSING row and remove it from NOTHING_REQUIRED");
        }
    }
}
