package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import zdm.proc.Signal;

/**
 * A release must prove itself: a replacement is ready AND stays up for min_ready_time (default
 * min_uptime) before its old worker is retired. If a replacement exits within that window, or a
 * worker the reload already put in place exits while it still runs, the reload fails, the old
 * workers keep serving, and the failure quotes the replacement's last lines of both streams.
 * Two workers, one at a time, ready after min_uptime (1 s), window 1 s.
 */
class StableReleaseTest extends FixtureTest {
    List<FakeHost.Proc> old;

    @BeforeEach
    void setUp() {
        f.start(SupervisorFixture.spec("web").instances(2).build());
        f.host.advance(1_000);
        old = f.host.alive("web");
        assertEquals(List.of("online", "online"), f.states("web"));
    }

    @Test
    void aReleaseThatStaysUpReplacesEveryWorkerAfterItsWindow() {
        var outcome = f.reload("web");
        f.host.advance(1_000); // candidate 0 ready
        assertTrue(old.get(0).alive(), "the old worker serves until the candidate was stable for the window");
        f.host.advance(999);
        assertTrue(old.get(0).alive());
        f.host.advance(1);
        assertFalse(old.get(0).alive(), "retired once its replacement was stable");
        assertEquals(List.of(Signal.SIGTERM), old.get(0).signals);
        f.host.advance(2_000);
        assertTrue(outcome.get().ok(), String.valueOf(outcome.get()));
        assertEquals(2, outcome.get().replaced());
        assertEquals(List.of("online", "online"), f.states("web"));
        assertTrue(f.hasEvent("web", "replaced: new pid " + f.host.newest("web", 0).pid + " serving, stable for 1000 ms; old pid "
                + old.get(0).pid + " draining"), f.events("web").toString());
    }

    @Test
    void aCrashWithinTheWindowOfTheFirstSlotFailsTheReloadAndKeepsEveryOldWorker() {
        var outcome = f.reload("web");
        f.host.advance(1_000);
        var candidate = f.host.newest("web", 0);
        candidate.prints(false, "listening on 3000");
        candidate.prints(true, "Error: connect ECONNREFUSED 127.0.0.1:5432");
        f.host.advance(500);
        candidate.exits(1);
        var o = outcome.get();
        assertFalse(o.ok());
        assertTrue(o.failure().contains("exited (code 1) after 1500 ms") && o.failure().contains("min_ready_time 1000 ms"), o.failure());
        assertTrue(o.failureLog().stream().anyMatch(l -> l.contains("ECONNREFUSED")), "stderr quoted: " + o.failureLog());
        assertTrue(o.failureLog().stream().anyMatch(l -> l.contains("listening on 3000")), "stdout quoted: " + o.failureLog());
        assertEquals(0, o.replaced());
        assertEquals(old, f.host.alive("web"));
        assertTrue(old.stream().allMatch(p -> p.signals.isEmpty()));
        assertEquals(List.of("online", "online"), f.states("web"));
        assertTrue(f.hasEvent("web", "reload-failed: worker 0: new pid " + candidate.pid + " exited (code 1) after 1500 ms, before it was"
                + " ready and stable for min_ready_time 1000 ms; 0 of 2 replaced, the old workers keep serving"), f.events("web").toString());
        assertNull(f.app("web").reload());
    }

    @Test
    void aCrashWithinTheWindowOfTheLastSlotKeepsItsOldWorker() {
        var outcome = f.reload("web");
        f.host.advance(2_000); // slot 0 replaced; candidate 1 (started when candidate 0 was ready) is ready now
        assertFalse(old.get(0).alive());
        f.host.advance(999);
        f.host.newest("web", 1).exits(2);
        assertFalse(outcome.get().ok());
        assertEquals(1, outcome.get().replaced());
        assertTrue(old.get(1).alive(), "the last slot's old worker keeps serving");
        assertEquals(List.of("online", "online"), f.states("web"));
    }

    @Test
    void theNextCandidateStartsOnceThePreviousIsReadyAndTheirWindowsOverlap() {
        var outcome = f.reload("web");
        assertEquals(3, f.host.alive("web").size(), "one candidate at a time (reload_parallel 1)");
        f.host.advance(1_000); // candidate 0 ready: candidate 1 starts while 0 proves itself
        assertEquals(4, f.host.alive("web").size());
        f.host.advance(2_000);
        assertTrue(outcome.get().ok());
        assertEquals(3_000, outcome.get().tookMs(), "two starts and one window, not two windows");
    }

    @Test
    void aCrashBeforeReadinessFailsTheReload() {
        var outcome = f.reload("web");
        f.host.advance(300);
        f.host.newest("web", 0).exits(1);
        assertFalse(outcome.get().ok());
        assertTrue(outcome.get().failure().contains("after 300 ms"), outcome.get().failure());
        assertEquals(old, f.host.alive("web"));
    }

    @Test
    void aPlacedWorkerThatCrashesWhileTheReloadRunsFailsItAndItsSlotRestarts() {
        var outcome = f.reload("web");
        f.host.advance(2_000); // slot 0 replaced
        var placed = f.host.newest("web", 0);
        f.host.advance(500); // candidate 1 starting
        placed.exits(1);
        var o = outcome.get();
        assertFalse(o.ok());
        assertTrue(o.failure().contains("while the reload was still running"), o.failure());
        assertTrue(old.get(1).alive(), "slot 1 was never replaced");
        f.host.advance(5_000);
        assertEquals(List.of("online", "online"), f.states("web"), "slot 0 restarted after its backoff");
    }

    @Test
    void minReadyTimeZeroRetiresTheOldWorkerOnceTheReplacementIsReady() {
        f.start(SupervisorFixture.spec("api").minReadyMs(0L).build());
        f.host.advance(1_000);
        var before = f.host.alive("api");
        var outcome = f.reload("api");
        f.host.advance(1_000);
        assertFalse(before.getFirst().alive());
        assertTrue(outcome.get().ok());
    }
}
