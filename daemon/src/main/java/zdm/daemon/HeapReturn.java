package zdm.daemon;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import zdm.proc.IdleBackoff;
import zdm.sys.NativeHeap;

/**
 * Gives back the Java heap that a burst of work grew (issue 16, flat memory). The daemon runs the
 * serial collector (bin/lib/launch.conf: no GC threads, the smallest footprint), which grows its old
 * generation when a young collection has to promote, instead of collecting it, and shrinks the heap
 * only after a full collection. A reload of 1,000 workers keeps a few MiB of short-lived objects in
 * flight (/proc snapshots, stop bookkeeping) at every young collection, which the small young
 * generation promotes: with no full collection the heap grew to -Xmx and stayed there (daemon RSS
 * 110 → 206 MiB over six reloads while its live objects stayed flat).
 *
 * <p>Two rules, checked every {@link #PERIOD} while the daemon is busy; launch.conf's
 * -XX:-ShrinkHeapInSteps and -XX:MaxHeapFreeRatio make a full collection uncommit the free part at once:
 * <ul>
 * <li>During a burst, when the committed heap has grown more than {@link #GROWTH} since the last full
 * collection, one is asked for: this bounds the heap while a long reload runs.
 * <li>After a burst, once the heap has been quiet for {@link #QUIET} (no young collection, less than
 * {@link #QUIET_ALLOCATION} allocated), one is asked for whenever the committed heap is above what the
 * last such quiet collection left. A collection during the burst is not enough: it keeps the objects
 * then in flight, and its larger heap stayed (at 1,000 workers the RSS after a reload moved between
 * 94 and 118 MiB depending on whether the last collection fell inside the reload or after it). A
 * quiet collection sees only what the daemon keeps, so the heap it leaves is the same after every
 * reload. That collection runs with the heap's free ratios tighter (10/20 instead of launch.conf's
 * 40/40, put back after it: {@link TightCollection}), so the old generation it leaves has less of
 * the headroom that a used daemon's promotions touch and keep resident. The C library's free heap is trimmed then too ({@link NativeHeap}), and on the next
 * {@link #LATER_TRIMS} rounds, also after a burst that did not grow the heap (young collections
 * only: a reload of 200 workers often grows it too little to need a collection): the JVM's own trim comes only every 30 s, and until it the 5-15 MiB of
 * malloc memory a reload of 1,000 workers freed stayed resident (the RSS read 8 s after a reload moved
 * by that much with the phase of the JVM's trim). Some of it is freed only in the seconds after the
 * collection (the JVM's next trim still gave back up to 11 MiB after ours; what frees it was not
 * traced), hence the later trims; each costs ~1 ms.
 * </ul>
 * What that costs: one pause of the whole daemon per burst, plus one per {@link #PERIOD} while a
 * burst grows the heap (the pause is measured in docs/benchmarks.md, "Scale"); an idle daemon never
 * pays it. The JDK's own periodic collection (-XX:G1PeriodicGCInterval) exists only for G1, whose
 * idle footprint is ~8 MiB larger (docs/benchmarks.md, "Daemon memory"). While nothing is due the
 * check backs off up to {@link #PERIOD_IDLE} ({@link IdleBackoff}); a worker started or reaped brings
 * it back to {@link #PERIOD}, so an idle daemon stays asleep.
 */
public final class HeapReturn {
    static final Duration PERIOD = Duration.ofSeconds(5);
    static final Duration PERIOD_IDLE = Duration.ofSeconds(80);
    static final long GROWTH = 4L << 20;
    static final Duration QUIET = Duration.ofSeconds(1);
    static final long QUIET_ALLOCATION = 1L << 20;
    /** Trims on the rounds after a quiet collection, besides the one with it. */
    static final int LATER_TRIMS = 2;

    /** The heap the rounds read and collect: the JVM's own, or a test's. */
    interface Heap {
        long committed();

        long used();

        void collect();

        /**
         * The quiet collection after a burst, which may leave less free heap than {@link #collect}
         * ({@link TightCollection}); returns how many times larger the heap {@link #collect} would have
         * left is (1: the same).
         */
        double collectQuiet();

        /** Gives the C library's freed memory back to the OS. */
        void trimNative();

        /** Waits {@code d} (the quiet window). */
        void pause(Duration d) throws InterruptedException;
    }

    /**
     * This JVM's heap: {@link Runtime}'s figures (no management beans: they would load ~100 classes
     * into an idle daemon; the quiet collection loads the diagnostic bean, at its first use only).
     */
    static final Heap JVM = new Heap() {
        public long committed() {
            return Runtime.getRuntime().totalMemory();
        }

        public long used() {
            return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        }

        public void collect() {
            System.gc();
        }

        public double collectQuiet() {
            return QUIET_COLLECTION == null ? collectAndOne() : QUIET_COLLECTION.collect(System::gc);
        }

        private double collectAndOne() {
            System.gc();
            return 1;
        }

        public void trimNative() {
            NativeHeap.trim();
        }

        public void pause(Duration d) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(d.toNanos());
        }
    };

    /**
     * The quiet collection's ratios: {@link TightCollection}'s, or others for a measurement with the
     * system property zdm.heap.quietFreeRatios=MIN,MAX ("off": none, as before issue 16's fifth pass).
     */
    private static final TightCollection QUIET_COLLECTION = quietCollection(System.getProperty("zdm.heap.quietFreeRatios"));

    static TightCollection quietCollection(String property) {
        if ("off".equals(property)) return null;
        if (property == null) return new TightCollection(TightCollection.JVM, TightCollection.TIGHT_MIN, TightCollection.TIGHT_MAX);
        String[] ratios = property.split(",", 2);
        return new TightCollection(TightCollection.JVM, Integer.parseInt(ratios[0].trim()), Integer.parseInt(ratios[1].trim()));
    }

    private final Heap heap;
    /** The committed heap after the last full collection (or less, if it shrank since). */
    private long mark;
    /** The committed heap after the last quiet collection (or less, if it shrank since). */
    private long settled;
    /**
     * How much more the heap the last quiet collection left would have been with the JVM's own free
     * ratios: added to {@link #GROWTH}, so that a burst after a tight quiet collection is collected no
     * sooner than after a plain one (0 after a collection during a burst).
     */
    private long slack;
    /** The committed and the used heap at the previous round. */
    private long before;
    private long usedBefore;
    /** Whether the heap was busy (grew, shrank, collected or allocated) since the last quiet round. */
    private boolean busy;
    /** How many of the next rounds trim the C library's heap. */
    private int trimsDue;

    HeapReturn(Heap heap) {
        this.heap = heap;
        this.mark = this.settled = this.before = heap.committed();
        this.usedBefore = heap.used();
    }

    /** Starts the rounds on a virtual thread (no platform thread: the thread count stays flat). */
    public static void start() {
        var rounds = new HeapReturn(JVM);
        IdleBackoff.start("zdm-heap-return", PERIOD, PERIOD_IDLE, rounds::round);
    }

    /**
     * One round: collects by the rules above; returns whether it found work (the heap changed since the
     * previous round, it collected, or a quiet collection is still due), which keeps the rounds at
     * {@link #PERIOD}.
     */
    boolean round() {
        long committed = heap.committed();
        long used = heap.used();
        boolean changed = committed != before;
        if (changed || used < usedBefore || used - usedBefore >= QUIET_ALLOCATION) busy = true;
        mark = Math.min(mark, committed);
        settled = Math.min(settled, committed);
        boolean collected = false;
        if (committed - mark > GROWTH + slack) {
            collected = collect(false);
        } else if ((busy || committed > settled) && quiet(committed)) {
            if (committed > settled) collected = collect(true);
            busy = false;
            heap.trimNative();
            trimsDue = LATER_TRIMS;
        } else if (trimsDue > 0) {
            trimsDue--;
            heap.trimNative();
        }
        before = heap.committed();
        usedBefore = heap.used();
        return changed || collected || busy || before > settled || trimsDue > 0;
    }

    /** Whether the heap stays quiet for {@link #QUIET}: nothing collected, little allocated, the same size. */
    private boolean quiet(long committed) {
        long used = heap.used();
        try {
            heap.pause(QUIET);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // IdleBackoff ends at its next wait
            return false;
        }
        long allocated = heap.used() - used; // negative: a young collection ran
        return heap.committed() == committed && allocated >= 0 && allocated < QUIET_ALLOCATION;
    }

    private boolean collect(boolean quiet) {
        double looser = 1;
        if (quiet) looser = heap.collectQuiet();
        else heap.collect();
        mark = heap.committed();
        settled = quiet ? mark : Math.min(settled, mark);
        slack = quiet ? Math.max(0, (long) (mark * (looser - 1))) : 0;
        return true;
    }
}
