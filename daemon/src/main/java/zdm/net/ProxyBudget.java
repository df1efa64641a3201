package zdm.net;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import zdm.log.DaemonLog;

/**
 * What the proxy's clients may hold across every app of the daemon, so that many apps each within their own
 * {@code max_connections} still cannot exhaust it together: at most {@link #maxOpen} client connections open at once,
 * and no new one while the proxy's pooled buffers hold more than {@link #maxBufferedBytes}. Past either, every public
 * port stops accepting and new connections wait in the kernel's accept queues; a connection's close (or, for buffers,
 * a recheck every {@link #RECHECK_MILLIS}) lets them in again. Both bounds come from the daemon's heap: the JVM caps
 * its off-heap buffers at the heap's size, and an open connection costs about 5 KiB of it (measured by bench/idle).
 * {@code ZDM_PROXY_MAX_CONNECTIONS} overrides the connection bound (docs/configuration.md). Thread-safe.
 */
final class ProxyBudget {
    /** Heap per open connection the bound allows for: twice what an idle keep-alive connection costs. */
    static final long BYTES_PER_CONNECTION = 10 * 1024;
    static final long RECHECK_MILLIS = 100;
    /** How stale the buffers' figure may be: reading it walks the allocator's arenas, too much for every accept. */
    static final long SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    static final ProxyBudget DAEMON = new ProxyBudget(maxOpenFor(System.getenv("ZDM_PROXY_MAX_CONNECTIONS"),
            Runtime.getRuntime().maxMemory()), Runtime.getRuntime().maxMemory() / 2,
            () -> ProxyLoops.ALLOCATOR instanceof io.netty.buffer.PooledByteBufAllocator p
                    ? p.metric().usedDirectMemory() + p.metric().usedHeapMemory() : 0);

    private final int maxOpen;
    private final long maxBufferedBytes;
    private final LongSupplier buffered;
    private final AtomicInteger open = new AtomicInteger();
    /** Each public port's "accept again if there is room", run when room may have come back. */
    private final Set<Runnable> gates = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean rechecking = new AtomicBoolean();
    private volatile boolean paused;
    private volatile long sampledAt = System.nanoTime() - SAMPLE_NANOS;
    private volatile long sampled;

    ProxyBudget(int maxOpen, long maxBufferedBytes, LongSupplier buffered) {
        if (maxOpen < 1 || maxBufferedBytes < 1) throw new IllegalArgumentException(maxOpen + ", " + maxBufferedBytes);
        this.maxOpen = maxOpen;
        this.maxBufferedBytes = maxBufferedBytes;
        this.buffered = buffered;
    }

    /** The connection bound: the override when it is a positive integer, else one connection per 10 KiB of heap. */
    static int maxOpenFor(String override, long maxHeapBytes) {
        if (override != null) {
            try {
                int n = Integer.parseInt(override.strip());
                if (n > 0) return n;
            } catch (NumberFormatException e) {
                // said below
            }
            DaemonLog.warn("ZDM_PROXY_MAX_CONNECTIONS=" + override + " is not a positive integer; using the default derived"
                    + " from the heap");
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxHeapBytes / BYTES_PER_CONNECTION));
    }

    int maxOpen() {
        return maxOpen;
    }

    long maxBufferedBytes() {
        return maxBufferedBytes;
    }

    int open() {
        return open.get();
    }

    void register(Runnable gate) {
        gates.add(gate);
    }

    void unregister(Runnable gate) {
        gates.remove(gate);
    }

    /**
     * Counts an accepted connection; false when the daemon has no room for another: then every port pauses (the
     * caller's too), not just the one that took the last slot.
     */
    boolean opened() {
        open.incrementAndGet();
        if (hasRoom()) return true;
        for (var gate : gates) gate.run();
        return false;
    }

    /** Uncounts a closed connection; ports paused for want of room try again. */
    void closed() {
        open.decrementAndGet();
        if (paused) reopenGates();
    }

    /** Whether a port may accept one more connection now; if not, the ports are retried when room may be back. */
    boolean hasRoom() {
        if (open.get() < maxOpen && bufferedBytes() <= maxBufferedBytes) return true;
        paused = true;
        scheduleRecheck();
        return false;
    }

    /** At most {@link #SAMPLE_NANOS} old: a burst of accepts within it may overshoot the bound by what it brings. */
    private long bufferedBytes() {
        long now = System.nanoTime();
        if (now - sampledAt >= SAMPLE_NANOS) {
            sampled = buffered.getAsLong();
            sampledAt = now;
        }
        return sampled;
    }

    private void reopenGates() {
        if (open.get() >= maxOpen) return;
        paused = false;
        for (var gate : gates) gate.run(); // each re-evaluates; one finding no room sets paused again
    }

    /** Buffers shrink without a close (a head is handed on, a response drains): look again a little later. */
    private void scheduleRecheck() {
        if (!rechecking.compareAndSet(false, true)) return;
        ProxyLoops.group().schedule(() -> {
            rechecking.set(false);
            if (paused) reopenGates();
        }, RECHECK_MILLIS, TimeUnit.MILLISECONDS);
    }
}
