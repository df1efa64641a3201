package zdm.cli;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import zdm.protocol.Request;
import zdm.protocol.Response;

@Command(name = "kill", mixinStandardHelpOptions = true,
        header = "Stop every app and then the daemon (never starts one).",
        description = "Apps keep their desired state: the next daemon starts the ones that were running.",
        footer = {"", "Examples:",
                "  zdm kill                   stop everything (e.g. before a reboot)",
                "  zdm kill --keep-workers    restart or upgrade zdm: listen: socket apps keep serving,",
                "                             and the next zdm command's daemon takes them over without a gap"})
final class KillCommand extends ClientCommand {
    @Option(names = "--keep-workers", description = "Leave the workers of listen: socket apps serving on their socket; the next"
            + " daemon (started by any zdm command) replaces them without a gap. Apps behind zdm's proxy stop as usual.")
    boolean keepWorkers;

    /** After acknowledging, the daemon still closes its store and socket; wait for its process to end. */
    static final Duration EXIT_DEADLINE = Duration.ofSeconds(15);

    @Override
    public Integer call() throws CliException {
        DaemonClient client = client();
        Optional<Response.Pong> pong = client.ping();
        if (pong.isEmpty()) {
            out().println("no daemon running");
            out().flush();
            return ExitCodes.OK;
        }
        Optional<Response> answer;
        try {
            answer = client.callIfRunning(new Request.Shutdown(keepWorkers), this::printPartial);
        } catch (ConnectionClosedException e) {
            answer = Optional.empty(); // closing the connection is how a daemon going away may answer
        }
        if (answer.isPresent()) succeeded(answer.get());
        awaitExit(pong.get().pid());
        out().println(keepWorkers ? "daemon stopped; the workers of listen: socket apps keep serving" : "daemon stopped");
        out().flush();
        return ExitCodes.OK;
    }

    private void awaitExit(long pid) throws CliException {
        var process = ProcessHandle.of(pid);
        if (process.isEmpty()) return;
        try {
            process.get().onExit().get(EXIT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CliException(ExitCodes.FAILED, "the daemon (pid " + pid + ") accepted the shutdown but is still running after "
                    + EXIT_DEADLINE.toSeconds() + "s (see " + root.context().paths().daemonLog() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.INTERRUPTED, "interrupted");
        } catch (ExecutionException e) {
            // onExit never completes exceptionally; nothing to wait for
        }
    }
}
