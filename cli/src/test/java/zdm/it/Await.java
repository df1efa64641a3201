package zdm.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Poll until a condition holds, with a deadline; the only way our tests wait. */
public final class Await {
    private Await() {}

    public static void until(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) return;
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            pause();
        }
    }

    /** Like {@link #until(Duration, BooleanSupplier, String)}, the description built only on failure (e.g. with output so far). */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what.get());
            pause();
        }
    }

    /** Checks that {@code condition} stays true for the whole of {@code period} (a negative assertion). */
    public static void holdsFor(Duration period, BooleanSupplier condition, String what) {
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < end) {
            if (!condition.getAsBoolean()) throw new AssertionError("stopped holding: " + what);
            pause();
        }
    }

    /** Polls {@code value} until {@code accept} holds and returns that value. */
    public static <T> T value(Duration timeout, Supplier<T> value, java.util.function.Predicate<T> accept, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (true) {
            last = value.get();
            if (accept.test(last)) return last;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what + "; last value: " + last);
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
