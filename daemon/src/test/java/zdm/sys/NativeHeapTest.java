package zdm.sys;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** malloc_trim gives back freed malloc memory that glibc kept: holes between live blocks, which free() alone never returns. */
class NativeHeapTest {
    private static final int BLOCK = 64 << 10; // below glibc's mmap threshold: from the heap, not mmap
    private static final int BLOCKS = 256;     // 16 MiB

    @Test
    void freedMallocMemoryBetweenLiveBlocksGoesBackToTheOs() throws IOException {
        NativeHeap.trim(); // start from a trimmed heap
        var holes = new ArrayList<MemorySegment>();
        var pins = new ArrayList<MemorySegment>();
        try (var pinArena = Arena.ofShared()) {
            try (var holeArena = Arena.ofShared()) {
                for (int i = 0; i < BLOCKS; i++) {
                    holes.add(holeArena.allocate(BLOCK).fill((byte) 1)); // resident: written
                    pins.add(pinArena.allocate(64)); // keeps each hole from merging into the heap's top
                }
            } // the holes are freed here; glibc keeps their pages
            long before = rssKiB();
            assertTrue(NativeHeap.trim(), "malloc_trim released memory");
            long after = rssKiB();
            assertTrue(before - after >= BLOCKS * (BLOCK >> 10) / 2,
                    "RSS fell by at least half the 16 MiB freed: " + before + " -> " + after + " KiB");
        }
    }

    private static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
