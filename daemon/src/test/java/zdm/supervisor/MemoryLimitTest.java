package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * max_memory_restart: a worker whose process tree's resident size goes over the limit is replaced
 * without downtime (its replacement first, ready and stable; then it drains), with an event naming
 * the size and the limit.
 */
class MemoryLimitTest extends FixtureTest {
    @Test
    void aWorkerOverTheLimitIsReplacedReplacementFirst() {
        f.start(SupervisorFixture.spec("web").instances(2).maxMemoryBytes(100L << 20).build());
        f.host.advance(1_000);
        var workers = f.host.alive("web");
        f.host.advance(MemoryWatch.INTERVAL.toMillis() * 2);
        assertEquals(2, f.host.alive("web").size(), "within the limit: nothing happens");
        var grown = workers.get(1);
        grown.rssBytes = 150L << 20;
        f.host.advance(1_000); // to the next check (every 2 s since the start)
        assertTrue(f.hasEvent("web", "memory-limit: pid " + grown.pid + " uses 150.0M (its process tree) over max_memory_restart 100.0M; replacing it"),
                f.events("web").toString());
        assertEquals(3, f.host.alive("web").size(), "the replacement starts beside it");
        assertTrue(grown.alive());
        f.host.advance(1_000); // ready
        assertTrue(grown.alive(), "kept until its replacement was stable");
        f.host.advance(1_000);
        assertFalse(grown.alive());
        assertTrue(workers.get(0).alive(), "the other worker is left alone");
        assertEquals(List.of("online", "online"), f.states("web"));
        assertTrue(f.hasEvent("web", "replace-end: 1 of 1 worker(s) replaced in 2000 ms"), f.events("web").toString());
    }

    @Test
    void aReplacementThatCrashesLeavesTheOldWorkerServing() {
        f.start(SupervisorFixture.spec("web").maxMemoryBytes(100L << 20).build());
        f.host.advance(1_000);
        var grown = f.host.alive("web").getFirst();
        grown.rssBytes = 200L << 20;
        f.host.advance(MemoryWatch.INTERVAL.toMillis());
        f.host.advance(300);
        f.host.newest("web", 0).exits(1);
        assertTrue(grown.alive());
        assertTrue(f.hasEvent("web", "replace-failed"), f.events("web").toString());
        assertEquals(List.of("online"), f.states("web"));
    }

    @Test
    void aWorkerExactlyAtTheLimitIsKept() {
        f.start(SupervisorFixture.spec("web").maxMemoryBytes(100L << 20).build());
        f.host.advance(1_000);
        var worker = f.host.alive("web").getFirst();
        worker.rssBytes = 100L << 20;
        f.host.advance(MemoryWatch.INTERVAL.toMillis() * 2);
        assertEquals(List.of(worker), f.host.alive("web"), "at the limit, not over it");
        assertFalse(f.hasEvent("web", "memory-limit"), f.events("web").toString());
        worker.rssBytes = (100L << 20) + 1;
        f.host.advance(MemoryWatch.INTERVAL.toMillis());
        assertTrue(f.hasEvent("web", "memory-limit"), "one byte over: " + f.events("web"));
    }
}
