package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A changed file that adds {@code max_memory_restart} to an app: a running app is watched from then on (its workers
 * are replaced by the file's reload, which starts no watch of its own); a stopped one only once it starts.
 */
class ChangedLimitTest extends FixtureTest {
    @Test
    void aRunningAppIsWatchedFromTheChangeThatAddsTheLimit() {
        var spec = SupervisorFixture.spec("web").build();
        f.start(spec);
        f.host.advance(1_000);
        f.start(spec.toBuilder().maxMemoryBytes(5L << 20).build()); // the fake processes use 10 MiB
        f.host.advance(2_000); // the reload: its new worker ready, then stable
        assertTrue(f.hasEvent("web", "reload-end"), f.events("web").toString());
        var replacement = f.host.newest("web", 0);
        f.host.advance(MemoryWatch.INTERVAL.toMillis());
        assertTrue(f.hasEvent("web", "memory-limit: pid " + replacement.pid
                + " uses 10.0M (its process tree) over max_memory_restart 5.0M; replacing it"), f.events("web").toString());
    }

    @Test
    void aStoppedAppIsWatchedOnceItStarts() {
        var spec = SupervisorFixture.spec("web").build();
        f.start(spec);
        f.host.advance(1_000);
        f.onLoop(() -> f.sup.registry().apps().get("web").stop(false));
        f.onLoop(() -> f.sup.registry().apps().get("web").replaceSpec(spec.toBuilder().maxMemoryBytes(5L << 20).build()));
        f.host.advance(MemoryWatch.INTERVAL.toMillis() * 2);
        assertFalse(f.hasEvent("web", "memory-limit"), "stopped: nothing to watch");
        f.onLoop(() -> f.sup.registry().apps().get("web").start());
        f.host.advance(1_000);
        assertEquals(List.of("online"), f.states("web"));
        f.host.advance(MemoryWatch.INTERVAL.toMillis());
        assertTrue(f.hasEvent("web", "memory-limit"), f.events("web").toString());
    }
}
