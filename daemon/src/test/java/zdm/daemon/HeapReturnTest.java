package zdm.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * HeapReturn's two rules on a scripted heap: a full collection while a burst grows the heap past the
 * allowance, and one after the burst, once the heap is quiet, whenever it is above what the last quiet
 * collection left; none while it is busy within the allowance, none on an idle heap.
 */
class HeapReturnTest {
    private static final long MIB = 1 << 20;

    /** A heap whose sizes the test sets; a collection leaves {@code live} used and {@code afterCollection} committed. */
    private static final class ScriptedHeap implements HeapReturn.Heap {
        long committed = 20 * MIB;
        long used = 10 * MIB;
        long live = 8 * MIB;
        long afterCollection = 14 * MIB;
        long allocatedWhileWaiting;
        int collections;
        int quietCollections;
        /** What collectQuiet reports: how much larger the plain collection's heap would have been. */
        double looser = 1;
        int trims;
        Duration waited = Duration.ZERO;

        public long committed() {
            return committed;
        }

        public long used() {
            return used;
        }

        public void collect() {
            collections++;
            committed = afterCollection;
            used = live;
        }

        public double collectQuiet() {
            quietCollections++;
            collect();
            return looser;
        }

        public void trimNative() {
            trims++;
        }

        public void pause(Duration d) {
            waited = waited.plus(d);
            used += allocatedWhileWaiting;
        }
    }

    @Test
    void aQuietHeapAboveWhatTheLastQuietCollectionLeftIsCollectedOnce() {
        var heap = new ScriptedHeap();
        var rounds = new HeapReturn(heap);
        heap.committed += 2 * MIB; // a burst grew it, less than the allowance
        assertTrue(rounds.round(), "a collection was due: the rounds stay short");
        assertEquals(1, heap.collections, "collected once the burst was over");
        assertEquals(1, heap.quietCollections, "as a quiet collection");
        assertEquals(1, heap.trims, "and the C library's heap trimmed");
        assertEquals(HeapReturn.QUIET, heap.waited, "after watching the heap for the quiet window");

        for (int i = 1; i <= HeapReturn.LATER_TRIMS; i++) {
            rounds.round();
            assertEquals(1 + i, heap.trims, "memory freed after the collection is trimmed on the next rounds");
        }
        assertFalse(rounds.round(), "nothing due after it: the rounds may back off");
        assertEquals(1, heap.collections, "the heap it left is the new mark");
        assertEquals(1 + HeapReturn.LATER_TRIMS, heap.trims, "then no more trims");
        assertEquals(HeapReturn.QUIET, heap.waited, "and nothing due costs no wait");
    }

    @Test
    void aHeapStillAllocatingOrCollectingIsNotQuiet() {
        var heap = new ScriptedHeap();
        var rounds = new HeapReturn(heap);
        heap.committed += 2 * MIB;
        heap.allocatedWhileWaiting = HeapReturn.QUIET_ALLOCATION;
        assertTrue(rounds.round(), "still due");
        assertEquals(0, heap.collections, "a heap allocating 1 MiB a second is busy");

        heap.allocatedWhileWaiting = -3 * MIB; // a young collection emptied eden meanwhile
        assertTrue(rounds.round());
        assertEquals(0, heap.collections, "a young collection within the window: busy");

        heap.allocatedWhileWaiting = HeapReturn.QUIET_ALLOCATION - 1;
        assertTrue(rounds.round());
        assertEquals(1, heap.collections, "quiet at last: collected");
    }

    @Test
    void growthPastTheAllowanceIsCollectedEvenDuringTheBurstAndAQuietCollectionFollows() {
        var heap = new ScriptedHeap();
        var rounds = new HeapReturn(heap);
        heap.committed += HeapReturn.GROWTH;
        heap.allocatedWhileWaiting = 50 * MIB;
        rounds.round();
        assertEquals(0, heap.collections, "up to the allowance a busy heap is left alone");

        heap.committed += 1;
        heap.afterCollection = 22 * MIB; // objects still in flight: more than the 20 MiB it started at
        heap.waited = Duration.ZERO;
        assertTrue(rounds.round());
        assertEquals(1, heap.collections, "past the allowance: collected at once");
        assertEquals(0, heap.quietCollections, "a plain collection: the burst keeps the JVM's headroom");
        assertEquals(0, heap.trims, "the burst goes on: no trim yet");
        assertEquals(Duration.ZERO, heap.waited, "without waiting for quiet");

        heap.allocatedWhileWaiting = 0;
        heap.afterCollection = 14 * MIB; // the burst is over: only what the daemon keeps
        assertTrue(rounds.round(), "the burst's collection kept in-flight objects: a quiet one is due");
        assertEquals(2, heap.collections);
        assertEquals(1, heap.trims);
        assertEquals(14 * MIB, heap.committed);
        for (int i = 0; i < HeapReturn.LATER_TRIMS; i++) rounds.round();
        assertFalse(rounds.round());
        assertEquals(2, heap.collections);
    }

    @Test
    void aBurstThatDidNotGrowTheHeapIsTrimmedButNotCollected() {
        var heap = new ScriptedHeap();
        var rounds = new HeapReturn(heap);
        heap.used -= 3 * MIB; // young collections ran since: the heap was busy at its size
        assertTrue(rounds.round(), "a quiet round after a burst found work");
        assertEquals(0, heap.collections, "nothing above the mark: no collection");
        assertEquals(1, heap.trims, "but the C library's heap is trimmed");
        for (int i = 0; i < HeapReturn.LATER_TRIMS; i++) rounds.round();
        assertEquals(1 + HeapReturn.LATER_TRIMS, heap.trims, "and again on the next rounds");
        assertFalse(rounds.round(), "then the rounds may back off");
        assertEquals(1 + HeapReturn.LATER_TRIMS, heap.trims);
    }

    @Test
    void aHeapThatShrankLowersTheMarksAndAnIdleHeapCostsNothing() {
        var heap = new ScriptedHeap();
        var rounds = new HeapReturn(heap);
        assertFalse(rounds.round(), "idle: nothing to do");
        assertEquals(Duration.ZERO, heap.waited, "idle rounds do not wait for quiet");
        heap.used += HeapReturn.QUIET_ALLOCATION - 1; // a little allocated: still idle
        assertFalse(rounds.round());
        assertEquals(0, heap.trims, "nor trim");

        heap.committed = 12 * MIB; // shrank (another collection)
        assertTrue(rounds.round(), "a change keeps the rounds short");
        assertEquals(0, heap.collections);
        heap.afterCollection = 12 * MIB;
        heap.committed = 13 * MIB; // above the lowered mark, though below where it started
        rounds.round();
        assertEquals(1, heap.collections, "measured from the smaller heap");

        heap.committed = 12 * MIB + HeapReturn.GROWTH + 1;
        heap.allocatedWhileWaiting = 50 * MIB;
        rounds.round();
        assertEquals(2, heap.collections, "the allowance counts from the heap the last collection left");
    }

    @Test
    void afterATightQuietCollectionTheGrowthAllowanceCountsFromTheHeapAPlainOneWouldHaveLeft() {
        var heap = new ScriptedHeap();
        var rounds = new HeapReturn(heap);
        heap.committed += 2 * MIB;
        heap.afterCollection = 12 * MIB;
        heap.looser = 1.5; // a plain collection would have left 18 MiB
        rounds.round();
        assertEquals(1, heap.quietCollections);

        heap.allocatedWhileWaiting = 50 * MIB; // the next burst
        heap.committed = 12 * MIB + HeapReturn.GROWTH + 6 * MIB;
        rounds.round();
        assertEquals(1, heap.collections, "within 4 MiB of the 18 a plain collection would have left: no collection yet");
        heap.committed += 1;
        rounds.round();
        assertEquals(2, heap.collections, "past it: collected");
        assertEquals(1, heap.quietCollections, "during the burst, a plain collection");

        heap.committed = 14 * MIB + HeapReturn.GROWTH + 1;
        rounds.round();
        assertEquals(3, heap.collections, "after a plain collection the allowance counts from its heap alone");
    }

    @Test
    void theJvmsHeapIsCollectedInFull() {
        long before = collections();
        HeapReturn.JVM.collect();
        assertTrue(collections() > before, "System.gc() ran a collection");
        assertTrue(HeapReturn.JVM.used() > 0 && HeapReturn.JVM.used() <= HeapReturn.JVM.committed());
    }

    static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }
}
