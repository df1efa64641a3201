package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.config.Readiness;
import zdm.proc.ExitStatus;
import zdm.proc.Signal;
import zdm.protocol.AppView;

/**
 * What an unasked exit leads to ({@link WorkerExits}): the dead worker's process tree is reaped, an exit code in
 * stop_exit_codes ends the slot, a start that failed counts as unstable however long it ran, a one-shot job is done
 * only after a clean exit of a start that succeeded, and a spawn that fails without autorestart errors at once.
 */
class WorkerExitOutcomesTest extends FixtureTest {
    private FakeHost.Proc online(zdm.config.AppSpecBuilder spec) {
        f.start(spec.build());
        f.host.advance(1_000);
        return f.host.alive(spec.build().name()).getFirst();
    }

    @Test
    void aCrashedWorkersTreeIsReapedWithTheAppsStopSignalAndKillTimeout() {
        var p = online(SupervisorFixture.spec("web").stopSignal(Signal.SIGINT).killTimeoutMs(3_000));
        f.host.terminations.clear();
        p.exits(1);
        assertEquals(List.of(new FakeHost.Termination(p.pid, Signal.SIGINT, Duration.ofMillis(3_000))), f.host.terminations,
                "its children (npm -> sh -> node) must not outlive it");
    }

    @Test
    void aWorkerThatCrashesWhileStartingIsReapedToo() {
        f.start(SupervisorFixture.spec("web").build());
        var p = f.host.newest("web", 0);
        assertEquals(List.of("starting"), f.states("web"));
        p.exits(1);
        assertEquals(List.of(new FakeHost.Termination(p.pid, Signal.SIGTERM, Duration.ofMillis(5_000))), f.host.terminations);
        assertTrue(f.hasEvent("web", "exited: code 1 after 0 ms"), f.events("web").toString());
    }

    @Test
    void aReloadCandidateThatCrashesIsReaped() {
        online(SupervisorFixture.spec("web"));
        f.reload("web");
        var candidate = f.host.newest("web", 0);
        f.host.terminations.clear();
        candidate.exits(1);
        assertTrue(f.host.terminations.contains(new FakeHost.Termination(candidate.pid, Signal.SIGTERM, Duration.ofMillis(5_000))),
                f.host.terminations.toString());
    }

    @Test
    void anExitCodeInStopExitCodesEndsTheSlotAndOthersRestartIt() {
        var p = online(SupervisorFixture.spec("job").stopExitCodes(List.of(3)));
        f.host.advance(500);
        p.exits(3);
        assertTrue(f.hasEvent("job", "exited: code 3 after 1500 ms"), f.events("job").toString());
        assertTrue(f.hasEvent("job", "not restarted: exit code 3 is in stop_exit_codes"), f.events("job").toString());
        assertEquals(List.of("stopped"), f.states("job"));
        f.host.advance(60_000);
        assertEquals(1, f.host.procs.size(), "not started again");

        var other = online(SupervisorFixture.spec("api").stopExitCodes(List.of(3)));
        other.exits(4);
        assertFalse(f.hasEvent("api", "not restarted"), f.events("api").toString());
        assertEquals(List.of("waiting-restart"), f.states("api"));
    }

    @Test
    void anExitBySignalIsRestartedEvenWithStopExitCodes() {
        var p = online(SupervisorFixture.spec("job").stopExitCodes(List.of(0, 3)));
        p.exit.complete(new ExitStatus(null, Signal.SIGSEGV));
        f.host.settle();
        assertTrue(f.hasEvent("job", "exited: signal SIGSEGV after 1000 ms"), f.events("job").toString());
        assertEquals(List.of("waiting-restart"), f.states("job"));
        f.host.advance(100);
        assertTrue(f.hasEvent("job", "restarted: after 100 ms backoff (restart 1)"), f.events("job").toString());
        assertEquals(List.of("starting"), f.states("job"));
    }

    @Test
    void aStartThatWasNotReadyCountsAsUnstableHoweverLongItRan() {
        // listen_timeout (5 s) is longer than min_uptime (1 s): measured by uptime, the exit would be a stable one.
        f.start(SupervisorFixture.spec("api").ready(new Readiness.Log("listening")).listenTimeoutMs(5_000).maxRestarts(0).build());
        f.host.advance(5_000);
        assertEquals(List.of("errored"), f.states("api"), f.events("api").toString());
        assertTrue(f.hasEvent("api", "errored: 1 failed starts in a row (signal SIGTERM; each exited within min_uptime 1000 ms,"
                + " was not ready, or could not be started); not restarting"), f.events("api").toString());
    }

    @Test
    void aOneShotJobThatWasNotReadyIsNotDoneEvenIfItThenExitsZero() {
        f.start(SupervisorFixture.spec("job").autorestart(false).ready(new Readiness.Log("done")).listenTimeoutMs(1_000).build());
        var p = f.host.newest("job", 0);
        p.ignoresStopSignal = true;
        f.host.advance(1_000);
        assertEquals(List.of(Signal.SIGTERM), p.signals);
        p.exits(0);
        assertEquals(List.of("stopped"), f.states("job"));
        assertEquals(AppView.Status.DEGRADED, f.view("job").status(), "not a finished job: it never started properly");
    }

    @Test
    void aOneShotJobThatStartedAndExitsZeroIsDone() {
        var p = online(SupervisorFixture.spec("job").autorestart(false));
        p.exits(0);
        assertEquals(AppView.Status.STOPPED, f.view("job").status());
        f.host.advance(60_000);
        assertEquals(1, f.host.procs.size());
    }

    @Test
    void aSpawnThatFailsWithoutAutorestartErrorsAtOnce() {
        f.host.spawnFailures.put("job", "cannot run 'nope': not found on PATH (apps[job].command)");
        f.start(SupervisorFixture.spec("job").autorestart(false).build());
        assertEquals(new WorkerState.Errored("could not be started: cannot run 'nope': not found on PATH (apps[job].command)"),
                f.on(() -> f.sup.registry().apps().get("job").serving(0).state()));
        assertEquals(AppView.Status.ERRORED, f.view("job").status());
        assertFalse(f.hasEvent("job", "errored"), "not an internal error: " + f.events("job"));
        f.host.advance(60_000);
        assertFalse(f.hasEvent("job", "restarted"), f.events("job").toString());
    }

    @Test
    void aStopDuringTheBackoffCancelsTheRestart() {
        var p = online(SupervisorFixture.spec("web").restartDelayMs(1_000));
        p.exits(1);
        assertEquals(List.of("waiting-restart"), f.states("web"));
        f.onLoop(() -> f.sup.registry().apps().get("web").stop(false));
        f.host.advance(5_000);
        assertEquals(List.of("stopped"), f.states("web"));
        assertEquals(1, f.host.procs.size(), "no start after the stop");
        assertFalse(f.hasEvent("web", "restarted"), f.events("web").toString());
    }
}
