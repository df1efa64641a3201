package zdm.supervisor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import zdm.log.DaemonLog;

/**
 * The one thread that owns every app's and worker's in-memory state. Everything that changes that
 * state (client requests, worker exits, readiness results, timers) is a task posted here and run
 * one at a time, so the supervisor needs no locks at all; blocking work (waiting for a process to
 * die, probing a port) runs on its own virtual thread and posts its result back.
 *
 * <p>After every task the loop re-checks the registered {@link #await conditions}, which is how a
 * request waits for "all workers online" without polling.
 */
public final class SupervisionLoop implements AutoCloseable {
    private final BlockingQueue<Runnable> mailbox = new LinkedBlockingQueue<>();
    private final List<Condition> conditions = new ArrayList<>(); // loop thread only
    private final ScheduledExecutorService timers;
    private final Thread thread;
    private volatile boolean closed;

    private record Condition(BooleanSupplier test, CompletableFuture<Boolean> done) {}

    public SupervisionLoop() {
        timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("zdm-timers").factory());
        thread = Thread.ofPlatform().daemon().name("zdm-supervisor").start(this::run);
    }

    private void run() {
        while (!closed) {
            Runnable task;
            try {
                task = mailbox.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                // A bug in one task must not take down the supervision of every other app.
                DaemonLog.error("supervision task failed", e);
            }
            checkConditions();
        }
    }

    private void checkConditions() {
        if (conditions.isEmpty()) return;
        for (var it = conditions.iterator(); it.hasNext(); ) {
            var c = it.next();
            boolean met;
            try {
                met = c.done.isDone() || c.test.getAsBoolean();
            } catch (RuntimeException e) {
                c.done.completeExceptionally(e);
                it.remove();
                continue;
            }
            if (met) {
                c.done.complete(true);
                it.remove();
            }
        }
    }

    /** Whether no task is waiting (on the loop: none was posted since the running one was taken). For tests. */
    boolean mailboxEmpty() {
        return mailbox.isEmpty();
    }

    public boolean onLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs on the loop; callers on other threads never touch supervisor state directly. */
    public void post(Runnable task) {
        if (!closed) mailbox.add(task);
    }

    public <T> CompletableFuture<T> call(Callable<T> task) {
        var f = new CompletableFuture<T>();
        post(() -> {
            try {
                f.complete(task.call());
            } catch (Exception | Error e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** Posts {@code task} after {@code delay}. */
    public void schedule(Duration delay, Runnable task) {
        if (!closed) timers.schedule(() -> post(task), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    }

    /**
     * Completes with true once {@code test} (evaluated on the loop, after each task) holds, or with
     * false after {@code timeout}. Must be called on the loop.
     */
    public CompletableFuture<Boolean> await(BooleanSupplier test, Duration timeout) {
        assertOnLoop();
        var done = new CompletableFuture<Boolean>();
        if (test.getAsBoolean()) {
            done.complete(true);
            return done;
        }
        conditions.add(new Condition(test, done));
        timers.schedule(() -> done.complete(false), timeout.toMillis(), TimeUnit.MILLISECONDS);
        return done;
    }

    /**
     * How many {@link #await} conditions wait to be met: the unit tests move their fake clock only while a request
     * waits on one, so that a request answering before its condition cannot have the clock run ahead of it.
     */
    int waiting() {
        assertOnLoop();
        return conditions.size();
    }

    public void assertOnLoop() {
        if (!onLoop()) throw new IllegalStateException("supervisor state touched off the supervision loop");
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        timers.shutdownNow();
    }
}
