package zdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import zdm.protocol.Paths;
import zdm.protocol.Response;

/**
 * Usage errors exit 2 with one message line and one hint line, and never reach the daemon: a daemon
 * listens in the home, and it must not have received anything.
 */
class UsageErrorsTest {
    @TempDir
    Path home;

    @ParameterizedTest(name = "zdm {0}")
    @CsvSource(delimiter = '#', textBlock = """
            frobnicate             # zdm: unknown command 'frobnicate'           # zdm --help
            scale web              # zdm: Missing required parameter: '<count>'  # zdm scale --help
            scale web two          # <count> must be a number of workers (4) or a change (+1, -1), got 'two' # zdm scale --help
            scale web 0            # zdm: the number of workers must be between 1 and 1024, got 0 # zdm scale --help
            scale web 1025         # got 1025                                    # zdm scale --help
            logs -n x web          # 'x' is not an int                           # zdm logs --help
            logs -n -1 web         # zdm: -n must be 0 or more, got -1           # zdm logs --help
            stop                   # zdm: Missing required parameter: '<app|all>' # zdm stop --help
            stop web api           # zdm: unexpected argument 'api'              # zdm stop --help
            restart web api x      # zdm: unexpected arguments 'api' 'x'         # zdm restart --help
            ls --colour            # zdm: Unknown option: '--colour'             # zdm ls --help
            kill now               # zdm: unexpected argument 'now'              # zdm kill --help
            describe               # Missing required parameter: '<app>'         # zdm describe --help
            start                  # Missing required parameter: '<target>'      # zdm start --help
            start web api          # unexpected argument 'api'                   # zdm start --help
            start web -i 2         # apply only when starting a script           # zdm start --help
            start web --prune      # --prune applies to an ecosystem file, not to web # zdm start --help
            start web -i zero      # 'zero' is not a number from 1 to 1024       # zdm start --help
            start ./nope.js        # no such file:                               # zdm start --help
            start nope.yaml        # does not exist                              # zdm start --help
            events -n -2           # zdm: -n must be 0 or more, got -2           # zdm events --help
            events --since soon    # --since: expected a duration                # zdm events --help
            logs web --err --out   # --err and --out exclude each other          # zdm logs --help
            ls -w --json           # --json and --watch cannot be combined       # zdm ls --help
            completion fish        # expected one of [bash, zsh]                 # zdm completion --help
            """)
    void exitTwoWithOneLineAndAHint(String args, String message, String helpCommand) throws Exception {
        Paths paths = new Paths(home);
        var starter = new CliRun.CountingStarter();
        try (var daemon = new ScriptedDaemon(paths, r -> List.of(new Response.Done("should not be asked")))) {
            CliRun run = CliRun.run(new CliContext(paths, starter), args.split(" "));
            assertEquals(2, run.exitCode(), run.err());
            List<String> lines = run.err().lines().toList();
            assertEquals(2, lines.size(), run.err());
            assertTrue(lines.get(0).startsWith("zdm: ") && lines.get(0).contains(message), lines.get(0));
            assertTrue(lines.get(1).endsWith("Try '" + helpCommand + "'"), lines.get(1));
            assertEquals("", run.out());
            assertEquals(List.of(), daemon.requests);
            assertEquals(0, starter.calls.get());
        }
    }
}
