package zdm.protocol;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bound on the bytes held for frames still arriving, shared by every connection of a daemon: a
 * crowd of clients each sending most of a large frame and then nothing cannot take more than this.
 * Thread-safe (one atomic counter; no lock).
 */
public final class FrameBudget {
    /** For a client reading its daemon's answers: nothing to bound there. */
    public static final FrameBudget UNLIMITED = new FrameBudget(Long.MAX_VALUE);

    private final long limit;
    private final AtomicLong held = new AtomicLong();

    public FrameBudget(long limitBytes) {
        this.limit = limitBytes;
    }

    /** Takes {@code bytes} from the budget, or refuses the frame when that would pass the limit. */
    void reserve(long bytes) throws ProtocolException {
        if (limit == Long.MAX_VALUE) return;
        if (held.addAndGet(bytes) > limit) {
            held.addAndGet(-bytes);
            throw new ProtocolException("the daemon already holds " + (limit >> 20) + " MiB of unfinished requests"
                    + " from other clients; retry in a moment");
        }
    }

    void release(long bytes) {
        if (limit != Long.MAX_VALUE) held.addAndGet(-bytes);
    }

    /** Bytes held now (for tests). */
    public long held() {
        return held.get();
    }
}
