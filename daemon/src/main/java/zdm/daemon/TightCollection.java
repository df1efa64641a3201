package zdm.daemon;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import zdm.log.DaemonLog;

/**
 * {@link HeapReturn}'s quiet full collection with the heap's free ratios set tighter for that one
 * collection, then put back. launch.conf's -XX:MaxHeapFreeRatio=40 sizes the old generation after a
 * full collection to live / 0.6, and that headroom gets touched page by page as a used daemon promotes
 * objects and stays resident while the daemon is idle (docs/benchmarks.md, "The idle daemon, fifth
 * pass": 13.9 MiB of heap resident after 20 rounds of commands). Collecting with
 * MinHeapFreeRatio/MaxHeapFreeRatio at {@link #TIGHT_MIN}/{@link #TIGHT_MAX} leaves live / 0.8 (the young
 * generation follows the old): heap resident 13.4-13.7 → 8.6 MiB, RSS −4.7 MiB at 95 s (0/10 read
 * the same, with less headroom). The start ratios are back before the next allocation, so the heap's
 * growth under load is decided as before. The next burst that promotes more than the smaller headroom
 * (~1.5 MiB instead of ~4 at ~6 MiB live) grows the old generation again: page commits at its young
 * collections (the serial collector expands while -Xmx leaves room), not extra full collections during
 * it (HeapReturn counts its growth allowance from the heap the start ratios would have left), but one
 * more quiet collection after it (22-32 ms of wall time at load ~4). Until then the young generation,
 * which follows the old, is 2.9 MiB instead of 4.4: young collections ~1.3× as often, under 1 ms each.
 */
final class TightCollection {
    static final String MIN = "MinHeapFreeRatio";
    static final String MAX = "MaxHeapFreeRatio";
    /** The ratios for the quiet collection (chosen by bench/idle-rss: docs/benchmarks.md, fifth pass). */
    static final int TIGHT_MIN = 10;
    static final int TIGHT_MAX = 20;

    /** The two manageable flags: the JVM's, or a test's. {@code set} throws if the JVM refuses the value. */
    interface Flags {
        int get(String name);

        void set(String name, int value);
    }

    /** This JVM's flags, through the diagnostic bean, loaded at the first quiet collection (an idle daemon never loads its classes). */
    static final Flags JVM = new Flags() {
        public int get(String name) {
            return Integer.parseInt(Bean.BEAN.getVMOption(name).getValue());
        }

        public void set(String name, int value) {
            Bean.BEAN.setVMOption(name, Integer.toString(value));
        }
    };

    private static final class Bean {
        static final HotSpotDiagnosticMXBean BEAN = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    }

    private final Flags flags;
    private final int tightMin;
    private final int tightMax;

    TightCollection(Flags flags, int tightMin, int tightMax) {
        this.flags = flags;
        this.tightMin = tightMin;
        this.tightMax = tightMax;
    }

    /**
     * Runs {@code gc} with the ratios at the tighter of the current and the tight values, then puts the
     * current ones back, even if it fails. Returns how much larger the heap the current ratios would
     * have left is (1 when nothing was tightened): (100 - current max) against (100 - tight max).
     */
    double collect(Runnable gc) {
        int min;
        int max;
        try {
            min = flags.get(MIN);
            max = flags.get(MAX);
        } catch (RuntimeException e) {
            DaemonLog.warn("heap return: cannot read the heap's free ratios, collecting with them as they are: " + e);
            gc.run();
            return 1;
        }
        int lowMin = Math.min(min, tightMin);
        int lowMax = Math.min(max, tightMax);
        boolean tightened = false;
        try {
            apply(max, lowMin, lowMax);
            tightened = true;
        } catch (RuntimeException e) {
            DaemonLog.warn("heap return: cannot set the heap's free ratios for the quiet collection: " + e);
        }
        try {
            gc.run();
        } finally {
            try {
                apply(flags.get(MAX), min, max);
            } catch (RuntimeException e) {
                DaemonLog.warn("heap return: cannot put back MinHeapFreeRatio=" + min + " MaxHeapFreeRatio=" + max + ": " + e);
            }
        }
        return tightened ? (100.0 - lowMax) / Math.max(1, 100 - max) : 1;
    }

    /** Sets both ratios in the order that keeps Min ≤ Max at every step (the JVM refuses a Min above Max, and a Max below Min). */
    private void apply(int currentMax, int min, int max) {
        if (min <= currentMax) {
            flags.set(MIN, min);
            flags.set(MAX, max);
        } else {
            flags.set(MAX, max);
            flags.set(MIN, min);
        }
    }
}
