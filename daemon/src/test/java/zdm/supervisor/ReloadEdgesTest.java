package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.protocol.EventView;

/**
 * Rolling reloads in the cases between the usual ones: a slot that has no process to replace, a stability window
 * of zero, several candidates at once, and which worker a failure is recorded against.
 */
class ReloadEdgesTest extends FixtureTest {

    private EventView event(String app, String kind) {
        return f.store.events(app, 500).stream().filter(e -> e.kind().equals(kind)).findFirst().orElse(null);
    }

    @Test
    void aSlotWaitingToRestartIsReplacedAndTheReloadEnds() {
        f.start(SupervisorFixture.spec("web").restartDelayMs(60_000).build());
        f.host.advance(1_000);
        f.host.newest("web", 0).exits(1);
        assertEquals(List.of("waiting-restart"), f.states("web"));
        var outcome = f.reload("web");
        f.host.advance(2_000);
        assertNotNull(outcome.get(), "the reload ended: " + f.events("web"));
        assertTrue(outcome.get().ok());
        assertEquals(1, outcome.get().replaced());
        assertEquals(List.of("online"), f.states("web"));
        var serving = f.host.newest("web", 0);
        assertTrue(serving.alive());
        assertEquals(serving.pid, f.store.workers().getFirst().pid(), "the store names the new process");
        f.host.advance(60_000);
        assertEquals(2, f.host.procs.size(), "the old backoff does not start a third process");
    }

    @Test
    void withAWindowOfZeroEachSlotIsReplacedOnceItsCandidateIsReady() {
        f.start(SupervisorFixture.spec("web").instances(3).minReadyMs(0L).build());
        f.host.advance(1_000);
        var outcome = f.reload("web");
        f.host.advance(1_000);
        assertEquals(4, f.host.alive("web").size(), "slot 0 replaced, slot 1's candidate starting");
        f.host.advance(2_000);
        assertTrue(outcome.get().ok());
        assertEquals(3, outcome.get().replaced());
        assertEquals(3_000, outcome.get().tookMs());
    }

    @Test
    void reloadParallelStartsThatManyCandidatesAtOnce() {
        f.start(SupervisorFixture.spec("web").instances(3).reloadParallel(2).build());
        f.host.advance(1_000);
        var outcome = f.reload("web");
        assertEquals(5, f.host.alive("web").size(), "two candidates beside the three workers");
        assertTrue(f.hasEvent("web", "reload-begin: 3 worker(s), 2 at a time, each stable for 1000 ms before its old worker is retired"), f.events("web").toString());
        f.host.advance(1_000); // both ready: the third starts while they prove themselves
        assertEquals(6, f.host.alive("web").size());
        f.host.advance(2_000);
        assertTrue(outcome.get().ok());
        assertEquals(3, outcome.get().replaced());
        assertEquals(3, f.host.alive("web").size());
    }

    @Test
    void aFailureIsRecordedAgainstTheWorkerWhoseReplacementFailed() {
        f.start(SupervisorFixture.spec("web").instances(2).build());
        f.host.advance(1_000);
        f.reload("web");
        f.host.advance(2_500); // slot 0 replaced, slot 1's candidate starting
        var candidate = f.host.newest("web", 1);
        candidate.exits(1);
        assertEquals(1, event("web", "reload-failed").worker());
        assertTrue(f.hasEvent("web", "reload-failed: worker 1: new pid " + candidate.pid + " exited (code 1) after 1500 ms, before it was"
                + " ready and stable for min_ready_time 1000 ms; 1 of 2 replaced, the old workers keep serving"), f.events("web").toString());
        assertTrue(f.hasEvent("web", "reload-stopped: 1 of 2 worker(s) replaced in 2500 ms"), f.events("web").toString());
    }

    @Test
    void aFailureOfTheFirstWorkerIsRecordedAgainstWorkerZero() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        f.reload("web");
        f.host.newest("web", 0).exits(1);
        assertEquals(0, event("web", "reload-failed").worker());
    }

    @Test
    void anInterruptedReloadIsRecordedAgainstTheApp() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        var outcome = f.reload("web");
        f.onLoop(() -> f.sup.registry().apps().get("web").stop(false));
        assertFalse(outcome.get().ok());
        assertEquals("reload interrupted: the app is being stopped", outcome.get().failure());
        assertNull(event("web", "reload-failed").worker());
        assertTrue(f.host.procs.stream().noneMatch(FakeHost.Proc::alive), "the candidate is stopped with the app");
    }

    @Test
    void aStoppedAppsReloadIsRefusedAndAStartedOnesIsNot() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        f.onLoop(() -> f.sup.registry().apps().get("web").stop(false));
        assertEquals("web is stopped; start it with 'zdm start web'", f.on(() -> f.sup.registry().apps().get("web").reload(null, o -> { })));
        f.onLoop(() -> f.sup.registry().apps().get("web").start());
        assertNull(f.on(() -> f.sup.registry().apps().get("web").reload(null, o -> { })));
    }
}
