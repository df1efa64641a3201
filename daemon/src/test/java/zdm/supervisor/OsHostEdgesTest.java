package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.proc.ResourceSampler;

/**
 * The real {@link Host} at its edges: its monotonic clock counts milliseconds, and a ready file that cannot be
 * consumed (a non-empty directory where the worker's file should be) is not taken as ready.
 */
class OsHostEdgesTest {
    @TempDir Path dir;
    private final SupervisionLoop loop = new SupervisionLoop();
    private final OsHost host = new OsHost(loop, new ResourceSampler());

    @AfterEach
    void end() {
        loop.close();
    }

    @Test
    void theMonotonicClockCountsMilliseconds() throws Exception {
        long before = host.nowMs();
        long t0 = System.nanoTime();
        Thread.sleep(50);
        long realMs = (System.nanoTime() - t0) / 1_000_000;
        long counted = host.nowMs() - before;
        assertTrue(counted >= realMs - 1 && counted < realMs + 60_000, "counted " + counted + " ms over " + realMs + " ms");
    }

    @Test
    void aReadyFileThatCannotBeConsumedIsNotReady() throws Exception {
        var file = Files.createDirectories(dir.resolve("1-1.ready"));
        Files.createFile(file.resolve("inside")); // a non-empty directory cannot be deleted: not consumed
        assertFalse(host.probe(new Host.Probe.ReadyFile(file)).get(30, TimeUnit.SECONDS));
        assertTrue(Files.exists(file));
    }
}
