package zdm.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * HeapReturn's quiet collection runs with the heap's free ratios tighter, and puts the JVM's own back
 * after it: on this JVM's real flags, and on flags that refuse Min above Max as the JVM does.
 */
class TightCollectionTest {
    @Test
    void theJvmsRatiosAreTighterDuringTheCollectionAndTheStartValuesAfterIt() {
        var flags = TightCollection.JVM;
        int min = flags.get(TightCollection.MIN);
        int max = flags.get(TightCollection.MAX);
        int[] during = new int[2];
        long gcs = HeapReturnTest.collections();

        new TightCollection(flags, 0, 10).collect(() -> {
            during[0] = flags.get(TightCollection.MIN);
            during[1] = flags.get(TightCollection.MAX);
            System.gc();
        });

        assertEquals(0, during[0], "MinHeapFreeRatio during the collection");
        assertEquals(Math.min(max, 10), during[1], "MaxHeapFreeRatio during the collection");
        assertTrue(HeapReturnTest.collections() > gcs, "a full collection ran");
        assertEquals(min, flags.get(TightCollection.MIN), "MinHeapFreeRatio put back");
        assertEquals(max, flags.get(TightCollection.MAX), "MaxHeapFreeRatio put back");
    }

    /** Flags that refuse Min above Max, as the JVM does, and record each change. */
    private static final class StrictFlags implements TightCollection.Flags {
        final Map<String, Integer> values = new HashMap<>(Map.of(TightCollection.MIN, 40, TightCollection.MAX, 40));
        final List<String> changes = new ArrayList<>();

        public int get(String name) {
            return values.get(name);
        }

        public void set(String name, int value) {
            var next = new HashMap<>(values);
            next.put(name, value);
            if (next.get(TightCollection.MIN) > next.get(TightCollection.MAX)) {
                throw new IllegalArgumentException(name + "=" + value + ": Min above Max");
            }
            values.put(name, value);
            changes.add(name + "=" + value);
        }
    }

    @Test
    void theRatiosChangeInAnOrderTheJvmAcceptsAndComeBackEvenIfTheCollectionFails() {
        var flags = new StrictFlags();
        double looser = new TightCollection(flags, 10, 20).collect(() -> {
            assertEquals(Map.of(TightCollection.MIN, 10, TightCollection.MAX, 20), flags.values, "tight during it");
        });
        assertEquals(List.of("MinHeapFreeRatio=10", "MaxHeapFreeRatio=20", "MaxHeapFreeRatio=40", "MinHeapFreeRatio=40"), flags.changes);
        assertEquals(80.0 / 60, looser, 1e-9, "a plain collection leaves live / 0.6, this one live / 0.8");

        assertThrows(IllegalStateException.class, () -> new TightCollection(flags, 0, 10).collect(() -> {
            throw new IllegalStateException("collection failed");
        }));
        assertEquals(Map.of(TightCollection.MIN, 40, TightCollection.MAX, 40), flags.values, "put back");
    }

    @Test
    void ratiosAlreadyTighterAreLeftAlone() {
        var flags = new StrictFlags();
        flags.values.putAll(Map.of(TightCollection.MIN, 5, TightCollection.MAX, 15));
        double looser = new TightCollection(flags, 10, 20).collect(() -> {
            assertEquals(Map.of(TightCollection.MIN, 5, TightCollection.MAX, 15), flags.values);
        });
        assertEquals(1.0, looser, 1e-9);
    }
}
