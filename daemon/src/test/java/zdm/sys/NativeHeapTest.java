package zdm.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** malloc_trim gives back freed malloc memory that glibc kept. */
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
        var blocks = new ArrayList<MemorySegment>();
        long allocated;
        try (var arena = Arena.ofShared()) {
            for (int i = 0; i < BLOCKS; i++) blocks.add(arena.allocate(BLOCK).fill((byte) 1)); // resident: written
            allocated = rssKiB();
        }
        long freed = rssKiB();
        assertTrue(NativeHeap.trim(), "malloc_trim released memory");
        long trimmed = rssKiB();
        long total = (long) BLOCKS * (BLOCK >> 10);
        assertTrue(freed - trimmed >= total / 2, "RSS fell by at least half the " + total + " KiB freed when trimmed: allocated "
                + allocated + ", freed " + freed + ", trimmed " + trimmed + " KiB");
    }

    private static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
