package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import zdm.protocol.ErrorKind;
import zdm.protocol.Response;

/**
 * Client requests ({@code zdm stop}, {@code scale}, ...) against the fake process layer: the request runs on a
 * client thread, as the daemon's request handlers do, while the test moves the fake clock on until it is answered.
 * Its progress lines (the events a client sees stream by) are kept in {@link #progress}.
 */
abstract class RequestTest extends FixtureTest {
    static final int UID = 4242;
    final List<String> progress = new CopyOnWriteArrayList<>();

    /**
     * Asks {@code request} and, once it has acted (its event with {@link #UID} is recorded and the loop's task that
     * recorded it has ended, so that the clock does not run ahead of it), advances the clock 100 ms at a time until it is answered (at most a minute of real time).
     */
    Response ask(Function<Supervisor, Response> request) {
        long before = requestsRecorded();
        var answer = CompletableFuture.supplyAsync(() -> request.apply(f.sup));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!answer.isDone() && requestsRecorded() == before) {
            if (System.nanoTime() > deadline) fail("the request did not act within a minute");
            Thread.onSpinWait();
        }
        f.host.settle(); // the task that recorded it has finished acting
        while (!answer.isDone()) {
            if (System.nanoTime() > deadline) fail("no answer within a minute; events: " + progress);
            f.host.advance(100);
            Thread.onSpinWait();
        }
        return answer.join();
    }

    /**
     * Like {@link #ask}, for a request that waits with {@link AppRegistry#awaitThen}: the clock moves on, 100 ms at a
     * time, only while a condition of the loop waits ({@link SupervisionLoop#waiting}); while the request has not begun
     * waiting, or its condition was met and it is answering, the clock stands still (at most a minute of real time in
     * all). A request that answers before what it should wait for is then always seen answering early; with
     * {@link #ask} a client thread slow to answer lets the clock run on to the very thing it should have waited for
     * (PIT's {@code true} mutant of ScaleApp's condition survived that way on a busy machine).
     */
    Response askStepwise(Function<Supervisor, Response> request) {
        var answer = CompletableFuture.supplyAsync(() -> request.apply(f.sup));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            while (!answer.isDone() && f.loop.call(f.loop::waiting).join() == 0) {
                if (System.nanoTime() > deadline) fail("no answer, and no condition waiting on the loop, within a minute; events: " + progress);
                LockSupport.parkNanos(50_000); // each look is a task on the loop: leave it room to run the request
            }
            if (answer.isDone()) return answer.join();
            if (System.nanoTime() > deadline) fail("no answer within a minute; events: " + progress);
            f.host.advance(100);
            f.host.settle();
        }
    }

    private long requestsRecorded() {
        return f.store.events(null, 100_000).stream().filter(e -> Integer.valueOf(UID).equals(e.uid())).count();
    }

    /** Asks {@code request} without moving the clock: for answers that must not wait for any process. */
    Response askNow(Function<Supervisor, Response> request) {
        try {
            return CompletableFuture.supplyAsync(() -> request.apply(f.sup)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer without the clock moving", e);
        }
    }

    static String message(Response r) {
        return switch (r) {
            case Response.Apps a -> a.message();
            case Response.Done d -> d.message();
            case Response.Failed x -> x.message();
            default -> throw new AssertionError("unexpected answer " + r);
        };
    }

    static Response.Failed failed(Response r, ErrorKind kind) {
        var failed = assertInstanceOf(Response.Failed.class, r, String.valueOf(r));
        if (failed.kind() != kind) fail("expected " + kind + ": " + failed);
        return failed;
    }

    /** Whether {@code app} has the request event {@code kind} (exactly), recorded with the uid that asked. */
    boolean requested(String app, String kind) {
        return f.store.events(app, 500).stream().anyMatch(e -> e.kind().equals(kind) && Integer.valueOf(UID).equals(e.uid()));
    }

    /** Whether nothing listens on {@code port} (an app's port was closed). */
    static boolean portIsFree(int port) {
        try (var s = new java.net.ServerSocket(port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Whether the store would start {@code app} again after a daemon restart. */
    boolean storedRunning(String app) {
        return f.store.app(app).orElseThrow().desiredRunning();
    }
}
