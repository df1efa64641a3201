package zdm.test;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes: the only way our tests wait, never a bare
 * sleep. The pause between polls starts at 5 ms and doubles up to 50 ms, so a quick condition is seen
 * at once and a slow one (a CLI call per poll) does not spin on a shared machine. One copy, compiled
 * into the tests of both modules (see the poms).
 */
public final class Await {
    private static final long FIRST_PAUSE_MS = 5;
    private static final long MAX_PAUSE_MS = 50;

    private Await() {}

    public static void until(Duration timeout, BooleanSupplier condition, String what) {
        until(timeout, condition, () -> what);
    }

    /** Like {@link #until(Duration, BooleanSupplier, String)}, the description built only on failure (e.g. with output so far). */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE_MS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw timedOut(timeout, what.get());
            pause = pause(pause);
        }
    }

    /** Whether {@code condition} came to hold within {@code timeout} (for a wait that may retry an action). */
    public static boolean within(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE_MS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) return false;
            pause = pause(pause);
        }
        return true;
    }

    /** Polls until {@code supplier} returns non-null, and returns that value. */
    public static <T> T value(Duration timeout, Supplier<T> supplier, String what) {
        return value(timeout, supplier, v -> v != null, what);
    }

    /** Polls {@code value} until {@code accept} holds and returns that value. */
    public static <T> T value(Duration timeout, Supplier<T> value, Predicate<T> accept, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE_MS;
        while (true) {
            T last = value.get();
            if (accept.test(last)) return last;
            if (System.nanoTime() - deadline > 0) throw timedOut(timeout, what + "; last value: " + last);
            pause = pause(pause);
        }
    }

    /** Checks that {@code condition} stays true for the whole of {@code period} (a negative assertion). */
    public static void holdsFor(Duration period, BooleanSupplier condition, String what) {
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() - end < 0) {
            if (!condition.getAsBoolean()) throw new AssertionError("stopped holding: " + what);
            pause(MAX_PAUSE_MS);
        }
    }

    private static AssertionError timedOut(Duration timeout, String what) {
        return new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
    }

    /** Sleeps {@code ms} and returns the next pause. */
    private static long pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
        return Math.min(ms * 2, MAX_PAUSE_MS);
    }
}
