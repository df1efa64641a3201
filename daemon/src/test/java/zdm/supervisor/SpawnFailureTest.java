package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A worker that cannot be spawned (missing binary, deleted cwd, binary deleted while running) is a
 * failed start of that worker: an event with the OS's reason, backoff, errored after max_restarts.
 * It never throws out of the supervisor, so the other apps, later requests and the next daemon's
 * restore are unaffected (it used to be "illegal transition stopped -> waiting-restart").
 */
class SpawnFailureTest extends FixtureTest {
    static final String MISSING = "cannot run 'no-such-binary': not found on PATH (apps[broken].command)";

    @Test
    void aMissingBinaryAtStartBacksOffThenErrorsAndItsNeighbourRuns() {
        f.host.spawnFailures.put("broken", MISSING);
        f.start(SupervisorFixture.spec("broken").maxRestarts(2).build());
        f.start(SupervisorFixture.spec("healthy").build());
        assertTrue(f.hasEvent("broken", "spawn-failed: " + MISSING), f.events("broken").toString());
        assertEquals(List.of("waiting-restart"), f.states("broken"));
        f.host.advance(60_000);
        assertEquals(List.of("errored"), f.states("broken"));
        assertTrue(f.hasEvent("broken", "errored: 3 failed starts in a row (could not be started; each exited within min_uptime 1000 ms,"
                + " was not ready, or could not be started); not restarting"), f.events("broken").toString());
        assertEquals(List.of("online"), f.states("healthy"));
        // the loop still answers, and a start after the fix works
        f.host.spawnFailures.remove("broken");
        f.onLoop(() -> f.sup.registry().apps().get("broken").start());
        f.host.advance(1_000);
        assertEquals(List.of("online"), f.states("broken"));
    }

    /**
     * Starting an errored app whose program is still missing fails its spawn again from Errored, with no restart
     * left: errored again, for the OS's reason. That move was missing from the table, so the second start ended in
     * "illegal transition errored -> errored", reported as the app's internal error.
     */
    @Test
    void startingAnErroredAppWhoseSpawnStillFailsErrorsItAgainForTheSameReason() {
        f.host.spawnFailures.put("oneshot", MISSING);
        f.host.spawnFailures.put("strict", MISSING);
        f.start(SupervisorFixture.spec("oneshot").autorestart(false).build()); // errored at once: no restart wanted
        f.start(SupervisorFixture.spec("strict").maxRestarts(0).build());      // errored at once: no restart left
        for (var name : List.of("oneshot", "strict")) {
            assertEquals(List.of("errored"), f.states(name), f.events(name).toString());
            f.onLoop(() -> {
                var app = f.sup.registry().apps().get(name);
                app.guard(app::start); // as 'zdm start' does
            });
            assertEquals(List.of("errored"), f.states(name), f.events(name).toString());
            assertEquals(2, f.events(name).stream().filter(e -> e.startsWith("spawn-failed: ")).count(), f.events(name).toString());
            assertFalse(f.events(name).stream().anyMatch(e -> e.contains("internal error")), f.events(name).toString());
        }
    }

    @Test
    void aBinaryDeletedWhileRunningMakesTheRestartAFailedStartNotAStuckSlot() {
        var app = f.start(SupervisorFixture.spec("web").maxRestarts(1).build());
        f.host.advance(1_000);
        assertEquals(List.of("online"), f.states("web"));
        f.host.spawnFailures.put("web", "cannot run '/srv/web/bin/web': No such file or directory (apps[web].command)");
        f.host.newest("web", 0).exits(1);
        f.host.advance(100); // the backoff's spawn fails
        assertTrue(f.hasEvent("web", "spawn-failed"), f.events("web").toString());
        f.host.advance(60_000);
        assertEquals(List.of("errored"), f.states("web"));
        assertNotNull(app);
    }

    @Test
    void aSpawnFailureDuringAReloadFailsTheReloadAndTheOldWorkersKeepServing() {
        f.start(SupervisorFixture.spec("web").instances(2).build());
        f.host.advance(1_000);
        var old = f.host.alive("web");
        assertEquals(2, old.size());
        f.host.spawnFailures.put("web", "cannot run 'node': working directory /srv/gone does not exist (apps[web].cwd)");
        var outcome = f.reload("web");
        assertNotNull(outcome.get(), "the reload ended at once");
        assertFalse(outcome.get().ok());
        assertTrue(outcome.get().failure().contains("could not be started: cannot run 'node'"), outcome.get().failure());
        assertEquals(old, f.host.alive("web"));
        assertEquals(List.of("online", "online"), f.states("web"));
    }

    @Test
    void restoreBringsBackEachAppOnItsOwn() throws Exception {
        f.store.putApps(List.of(SupervisorFixture.spec("broken").maxRestarts(1).build(),
                SupervisorFixture.spec("healthy").build()), true);
        f.host.spawnFailures.put("broken", MISSING);
        Restore.run(f.sup);
        f.host.settle();
        f.host.advance(60_000);
        assertEquals(List.of("errored"), f.states("broken"));
        assertEquals(List.of("online"), f.states("healthy"));
        // and the next restore (a daemon restart) still works
        f.onLoop(() -> f.sup.registry().apps().clear());
        Restore.run(f.sup);
        f.host.advance(1_000);
        assertEquals(List.of("online"), f.states("healthy"));
    }
}
