package zdm.net;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The backends a listener currently sends connections to, replaced atomically as a whole. Readers take an immutable
 * {@link Snapshot} without locking; its version lets a connection waiting for a backend tell whether the rotation
 * changed since it last looked. Thread-safe.
 */
final class Rotation {
    /** One version of the rotation. */
    record Snapshot(List<Backend> backends, long version) {}

    private final AtomicInteger nextIndex = new AtomicInteger();
    private volatile Snapshot current = new Snapshot(List.of(), 0);

    Snapshot snapshot() {
        return current;
    }

    /** Called by one thread at a time (the supervision loop), so the version read and the write cannot interleave. */
    synchronized void replace(List<Backend> backends) {
        current = new Snapshot(List.copyOf(backends), current.version() + 1);
    }

    /**
     * Where in {@code backends} to start trying. Round robin: predictable and fair when workers are uniform, which
     * they are (same command, same config). Least-connections is a later refinement for uneven request costs.
     */
    int startIndex(int size) {
        return Math.floorMod(nextIndex.getAndIncrement(), size);
    }
}
