package zdm.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** HeapReturn asks for a full collection exactly when the committed heap grew past its allowance. */
class HeapReturnTest {
    @Test
    void collectsOnlyAfterTheHeapGrewMoreThanTheAllowance() {
        long committed = Runtime.getRuntime().totalMemory();
        long before = collections();
        assertEquals(committed - HeapReturn.GROWTH, HeapReturn.check(committed - HeapReturn.GROWTH), "within the allowance: no collection");
        assertEquals(before, collections(), "no collection within the allowance");

        long mark = HeapReturn.check(committed - HeapReturn.GROWTH - (1 << 20));
        assertTrue(collections() > before, "a collection once the heap grew past the allowance");
        assertEquals(Runtime.getRuntime().totalMemory(), mark, "the new mark is the heap after the collection");
    }

    @Test
    void aHeapThatShrankLowersTheMark() {
        long committed = Runtime.getRuntime().totalMemory();
        assertTrue(HeapReturn.check(committed + (32 << 20)) <= committed + (1 << 20), "the mark follows a smaller heap down");
    }

    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }
}
