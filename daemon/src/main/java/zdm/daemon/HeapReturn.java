package zdm.daemon;

import java.time.Duration;
import zdm.proc.IdleBackoff;

/**
 * Gives back the Java heap that a burst of work grew (issue 16, flat memory). The daemon runs the
 * serial collector (bin/lib/launch.conf: no GC threads, the smallest footprint), which grows its old
 * generation when a young collection has to promote, instead of collecting it, and shrinks the heap
 * only after a full collection. A reload of 1,000 workers keeps a few MiB of short-lived objects in
 * flight (/proc snapshots, stop bookkeeping) at every young collection, which the small young
 * generation promotes: with no full collection the heap grew to -Xmx and stayed there (daemon RSS
 * 110 → 206 MiB over six reloads while its live objects stayed flat).
 *
 * <p>So every {@link #PERIOD} while the daemon is busy, when the committed heap has grown more than
 * {@link #GROWTH} since the last full collection, one is asked for; launch.conf's -XX:-ShrinkHeapInSteps
 * and -XX:MaxHeapFreeRatio make it uncommit the free part at once. What that costs: one pause of the
 * whole daemon (~10-50 ms for the 15-25 MiB live at 1,000 workers), at most once per period and
 * only after that much growth, i.e. during and right after large reloads; an idle daemon never
 * pays it. The JDK's own periodic collection (-XX:G1PeriodicGCInterval) exists only for G1, whose
 * idle footprint is ~8 MiB larger (docs/benchmarks.md, "Daemon memory"). While the committed heap
 * stays the same the check backs off up to {@link #PERIOD_IDLE} ({@link IdleBackoff}); a worker
 * started or reaped brings it back to {@link #PERIOD}, so an idle daemon stays asleep.
 */
public final class HeapReturn {
    static final Duration PERIOD = Duration.ofSeconds(5);
    static final Duration PERIOD_IDLE = Duration.ofSeconds(80);
    static final long GROWTH = 4L << 20;

    private HeapReturn() {}

    /** Starts the check on a virtual thread (no platform thread: the thread count stays flat). */
    public static void start() {
        var last = new long[] {Runtime.getRuntime().totalMemory(), Runtime.getRuntime().totalMemory()}; // mark, committed
        IdleBackoff.start("zdm-heap-return", PERIOD, PERIOD_IDLE, () -> {
            long committed = Runtime.getRuntime().totalMemory();
            last[0] = check(last[0]);
            boolean changed = committed != last[1];
            last[1] = Runtime.getRuntime().totalMemory();
            return changed;
        });
    }

    /** One check: collects when the heap grew more than {@link #GROWTH} past {@code afterLast}; returns the new mark. */
    static long check(long afterLast) {
        long committed = Runtime.getRuntime().totalMemory();
        if (committed - afterLast <= GROWTH) return Math.min(afterLast, committed);
        System.gc();
        return Runtime.getRuntime().totalMemory();
    }
}
