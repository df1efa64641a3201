package zdm.net;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import zdm.log.DaemonLog;

/**
 * What the proxy's clients may hold across every app of the daemon, so that many apps each within their own
 * {@code max_connections} still cannot exhaust it together: at most {@link #maxOpen} client connections open at once,
 * and no new one while the proxy's pooled buffers hold more than {@link #maxBufferedBytes}. Past either, every public
 * port stops accepting and new connections wait in the kernel's accept queues; a connection's close (or, for buffers,
 * a recheck every {@link #RECHECK_MILLIS}) lets them in again. The connection bound comes from the daemon's heap (an
 * open connection costs about 5 KiB of it, measured by bench/idle), the buffers' bounds from the JVM's cap on off-heap
 * buffers ({@code -XX:MaxDirectMemorySize}, bin/lib/launch.conf).
 * {@code ZDM_PROXY_MAX_CONNECTIONS} overrides the connection bound (docs/configuration.md).
 *
 * <p>Connections already open are bounded too, by what they hold ({@link HeldBytes}: unfinished requests, requests read
 * ahead, bytes waiting for the client's or the worker's socket, a response head still arriving, a tunnel's bytes): past
 * {@link #maxHeldBytes} across the daemon, a connection holding more than {@link #SHED_ALLOWANCE} is shed (503 while
 * it reads a head, else closed); past twice that, any connection holding anything is. A request that arrives whole in
 * one read holds nothing past its read, so other clients keep being served while stalled ones are shed. Thread-safe.
 */
final class ProxyBudget {
    /** Heap per open connection the bound allows for: twice what an idle keep-alive connection costs. */
    static final long BYTES_PER_CONNECTION = 10 * 1024;
    static final long RECHECK_MILLIS = 100;
    /** How stale the buffers' figure may be: reading it walks the allocator's arenas, too much for every accept. */
    static final long SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** What a connection may hold of an unfinished request while the daemon is past its bound: most heads are smaller. */
    static final long SHED_ALLOWANCE = 4 * 1024;

    static final ProxyBudget DAEMON = new ProxyBudget(maxOpenFor(System.getenv("ZDM_PROXY_MAX_CONNECTIONS"),
            Runtime.getRuntime().maxMemory()), PlatformDependent.maxDirectMemory() / 2,
            ProxyBudget::pooledBytes, PlatformDependent.maxDirectMemory() / 4);

    private final int maxOpen;
    private final long maxBufferedBytes;
    private final LongSupplier buffered;
    private final long maxHeldBytes;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong held = new AtomicLong();
    /** Each public port's "accept again if there is room", run when room may have come back. */
    private final Set<Runnable> gates = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean rechecking = new AtomicBoolean();
    private volatile boolean paused;
    private volatile long sampledAt = System.nanoTime() - SAMPLE_NANOS;
    private volatile long sampled;

    ProxyBudget(int maxOpen, long maxBufferedBytes, LongSupplier buffered) {
        this(maxOpen, maxBufferedBytes, buffered, Long.MAX_VALUE / 4);
    }

    ProxyBudget(int maxOpen, long maxBufferedBytes, LongSupplier buffered, long maxHeldBytes) {
        if (maxOpen < 1 || maxBufferedBytes < 1 || maxHeldBytes < 1) {
            throw new IllegalArgumentException(maxOpen + ", " + maxBufferedBytes + ", " + maxHeldBytes);
        }
        this.maxOpen = maxOpen;
        this.maxBufferedBytes = maxBufferedBytes;
        this.buffered = buffered;
        this.maxHeldBytes = maxHeldBytes;
    }

    /** What the proxy's pooled allocator has taken from the JVM (off-heap, and heap should it ever use that). */
    static long pooledBytes() {
        return ProxyLoops.ALLOCATOR instanceof PooledByteBufAllocator p
                ? p.metric().usedDirectMemory() + p.metric().usedHeapMemory() : 0;
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

    long maxHeldBytes() {
        return maxHeldBytes;
    }

    /** What the open connections hold ({@link HeldBytes}), in bytes of buffer. */
    long heldBytes() {
        return held.get();
    }

    /** A connection now holds {@code delta} more bytes (negative: fewer). */
    void held(long delta) {
        held.addAndGet(delta);
    }

    /** Whether a connection that holds {@code bytes} must give them up (503, close). */
    boolean mustShed(long bytes) {
        long total = held.get();
        return total > 2 * maxHeldBytes ? bytes > 0 : total > maxHeldBytes && bytes > SHED_ALLOWANCE;
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
