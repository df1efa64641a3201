package zdm.server;

import java.util.function.Consumer;
import zdm.protocol.Request;
import zdm.protocol.Response;

/**
 * Runs a command line for the CLI's fast path ({@link Request.Run}). The command tree lives in the
 * CLI module (zdm.cli.DaemonCommands), which hands its runner to the daemon when it starts one.
 */
@FunctionalInterface
public interface CommandRunner {
    /**
     * Runs {@code run}, sending its output as {@link Response.Output}s (and {@link Response.Follows})
     * through {@code send}, and returns {@link Response.Exit} or {@link Response.RunHere}. An interrupt
     * means the client hung up: the command should end soon.
     */
    Response run(Request.Run run, Consumer<Response> send);

    /** A daemon hosted without the CLI's command tree (tests): every command runs in the client. */
    CommandRunner NONE = (run, send) -> new Response.RunHere(null);
}
