package zdm.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import zdm.protocol.AppView;
import zdm.protocol.Request;
import zdm.protocol.Response;

/**
 * A quick look at the daemon's apps for the shell's prompt and completion: one list request that
 * never starts a daemon and gives up after {@code timeout}, so a busy or wedged daemon cannot freeze
 * the prompt or the Tab key. Thread-safe; each look is independent.
 */
final class DaemonPeek {
    /** What the look found. */
    sealed interface Sight {
        record Apps(List<AppView> apps) implements Sight {}

        record NoDaemon() implements Sight {}

        /** The daemon did not answer within the timeout. */
        record Busy() implements Sight {}

        /** The daemon refused or the socket failed: {@code why} is the error's message. */
        record Unreachable(String why) implements Sight {}
    }

    /**
     * The first look also loads the protocol's JSON classes, which takes seconds on a busy machine;
     * a prompt saying "daemon busy" (or a Tab finding no names) because of that would be wrong.
     */
    static final Duration FIRST_TIMEOUT = Duration.ofSeconds(10);

    private final DaemonClient client;
    private final Duration timeout;
    private volatile boolean warm; // a look has completed: the classes are loaded

    DaemonPeek(CliContext context, Duration timeout) {
        this.client = new DaemonClient(context.paths(), DaemonStarter.NEVER, new PrintWriter(Writer.nullWriter()));
        this.timeout = timeout;
    }

    Sight look() {
        var task = new FutureTask<>(this::ask);
        // A virtual thread, so that on timeout the interrupt closes its socket and ends it.
        Thread.ofVirtual().name("zdm-shell-peek").start(task);
        try {
            Sight sight = task.get((warm ? timeout : FIRST_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
            warm = true;
            return sight;
        } catch (TimeoutException e) {
            task.cancel(true);
            return new Sight.Busy();
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            return new Sight.Busy();
        } catch (ExecutionException e) {
            return new Sight.Unreachable(String.valueOf(e.getCause().getMessage()));
        }
    }

    /** The app names, empty when the daemon is not there or does not answer in time. */
    List<String> appNames() {
        return look() instanceof Sight.Apps(List<AppView> apps) ? apps.stream().map(AppView::name).toList() : List.of();
    }

    private Sight ask() {
        Optional<Response> answer;
        try {
            answer = client.callIfRunning(new Request.ListApps(), r -> {});
        } catch (ConnectionClosedException e) {
            return new Sight.NoDaemon(); // it closed the connection: going away or still starting
        } catch (CliException e) {
            return new Sight.Unreachable(e.getMessage());
        }
        if (answer.isEmpty()) return new Sight.NoDaemon();
        return switch (answer.get()) {
            case Response.Apps apps -> new Sight.Apps(apps.apps());
            case Response.Failed failed -> new Sight.Unreachable(failed.message());
            default -> new Sight.Unreachable("unexpected answer " + answer.get().getClass().getSimpleName());
        };
    }
}
