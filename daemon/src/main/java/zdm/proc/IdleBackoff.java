package zdm.proc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A check that has to poll, because nothing tells it when to look (an orphan's zombie, a heap that a
 * burst of work grew), run on a virtual thread: every {@code min} while it finds work, and after each
 * round that found none the wait doubles, up to {@code max}. So an idle daemon wakes a few times a
 * minute instead of every second (issue 16: its virtual threads' carrier woke 144 times in 30 s, most of
 * it the orphan reaper's one-second sleep and the heap check's five-second one, each waking the
 * carrier pool's delay scheduler and a carrier or two). A worker started or reaped anywhere in the
 * daemon ({@link #activity}) brings every check back to its short wait at once: that is when orphans
 * appear and the heap grows.
 */
public final class IdleBackoff {
    private static final List<IdleBackoff> running = new CopyOnWriteArrayList<>();

    private final long minNanos;
    private final long maxNanos;
    private final AtomicLong waitNanos;
    private volatile Thread thread;

    IdleBackoff(Duration min, Duration max) {
        this.minNanos = min.toNanos();
        this.maxNanos = Math.max(minNanos, max.toNanos());
        this.waitNanos = new AtomicLong(minNanos);
    }

    /**
     * Starts {@code round} on a virtual thread named {@code name}: first after {@code min}, then as said
     * above, until the thread is interrupted. {@code round} returns whether it found work.
     */
    public static Thread start(String name, Duration min, Duration max, BooleanSupplier round) {
        return new IdleBackoff(min, max).run(name, round);
    }

    /** Runs {@code round} after each wait, on a new virtual thread, until it is interrupted. */
    Thread run(String name, BooleanSupplier round) {
        return Thread.ofVirtual().name(name).start(() -> {
            thread = Thread.currentThread();
            running.add(this);
            try {
                while (true) {
                    await();
                    after(round.getAsBoolean());
                }
            } catch (InterruptedException e) {
                // asked to end
            } finally {
                running.remove(this);
            }
        });
    }

    /** A worker was started or reaped: every check waits its short wait again, counted from its last round. */
    static void activity() {
        for (var b : running) b.hurry();
    }

    /** The current wait between two rounds. */
    Duration currentWait() {
        return Duration.ofNanos(waitNanos.get());
    }

    /** Waits the current wait from now; a {@link #hurry} meanwhile shortens it. */
    void await() throws InterruptedException {
        long start = System.nanoTime();
        while (true) {
            long left = start + waitNanos.get() - System.nanoTime();
            if (left <= 0) return;
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) throw new InterruptedException();
        }
    }

    /** After a round: the short wait again if it found work, else twice the last one (at most {@code max}). */
    void after(boolean foundWork) {
        waitNanos.updateAndGet(w -> foundWork ? minNanos : Math.min(maxNanos, w * 2));
    }

    /** Back to the short wait; a longer wait in progress ends early. Cheap when already short (a reload calls it per worker). */
    void hurry() {
        if (waitNanos.get() == minNanos) return;
        waitNanos.set(minNanos);
        Thread t = thread;
        if (t != null) LockSupport.unpark(t);
    }
}
