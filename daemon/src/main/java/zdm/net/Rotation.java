package zdm.net;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The backends a listener currently sends connections to, replaced atomically as a whole. Readers take an immutable
 * {@link Snapshot} without locking; connections that found no usable backend wait on a condition that every change
 * signals. Thread-safe.
 */
final class Rotation {
    /** One version of the rotation; {@code version} lets a waiter tell "changed" from "spurious wake-up". */
    record Snapshot(List<Backend> backends, long version) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicInteger nextIndex = new AtomicInteger();
    private volatile Snapshot current = new Snapshot(List.of(), 0);
    private boolean shutDown; // guarded by lock

    Snapshot snapshot() {
        return current;
    }

    void replace(List<Backend> backends) {
        var copy = List.copyOf(backends);
        lock.lock();
        try {
            current = new Snapshot(copy, current.version() + 1);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter for good: the listener is closing. */
    void shutDown() {
        lock.lock();
        try {
            shutDown = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Where in {@code backends} to start trying. Round robin: predictable and fair when workers are uniform, which
     * they are (same command, same config). Least-connections is a later refinement for uneven request costs.
     */
    int startIndex(int size) {
        return Math.floorMod(nextIndex.getAndIncrement(), size);
    }

    /**
     * Blocks until the rotation is newer than {@code seen}, the deadline (System.nanoTime) passes, or shutDown.
     *
     * @return the newer snapshot, or null on deadline or shutdown
     */
    Snapshot awaitNewerThan(Snapshot seen, long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (!shutDown && current.version() == seen.version()) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) return null;
                changed.await(remaining, TimeUnit.NANOSECONDS);
            }
            return shutDown ? null : current;
        } finally {
            lock.unlock();
        }
    }
}
