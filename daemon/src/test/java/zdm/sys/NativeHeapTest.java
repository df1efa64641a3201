package zdm.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;

/**
 * malloc_trim gives back freed malloc memory that glibc kept, and says so. (How much the RSS falls was
 * measured too, and varied with where glibc placed the blocks and what other threads did meanwhile.)
 */
@SuppressWarnings("restricted")
class NativeHeapTest {
    private static final int BLOCK = 64 << 10;
    private static final int BLOCKS = 512; // 32 MiB
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_MMAP_THRESHOLD = -3;

    @Test
    void freedMallocMemoryGoesBackToTheOs() throws Throwable {
        // Made deterministic for this test JVM: blocks come from the heap (not mmap), and free() alone
        // gives nothing back (no automatic trim of the heap's top), as with memory freed inside an arena.
        MethodHandle mallopt = Libc.function("mallopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        assertEquals(1, (int) mallopt.invokeExact(M_MMAP_THRESHOLD, 1 << 20));
        assertEquals(1, (int) mallopt.invokeExact(M_TRIM_THRESHOLD, Integer.MAX_VALUE));
        NativeHeap.trim();
        try (var arena = Arena.ofShared()) {
            for (int i = 0; i < BLOCKS; i++) arena.allocate(BLOCK).fill((byte) 1); // resident: written
        }
        assertTrue(NativeHeap.trim(), "malloc_trim gave the freed 32 MiB (or some of it) back");
    }
}
