package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.net.FreePorts;
import zdm.proc.ExitStatus;
import zdm.store.WorkerRecord;
import zdm.test.Await;

/**
 * What a worker's exit leaves for the next daemon and for the user ({@link WorkerExits}): the slot's record in the
 * store after each outcome (what a restore reads), the app log's notes, and the exits that race a stop or a reload.
 */
class ExitRecordsTest extends FixtureTest {
    /** The store's record of {@code app}'s slot 0 once it says {@code state} (the writes are queued, so it is awaited). */
    private WorkerRecord recorded(String app, String state) {
        return Await.value(Duration.ofSeconds(10), () -> f.store.workers().stream().filter(w -> w.app().equals(app) && w.id() == 0)
                .findFirst().orElse(null), w -> w != null && w.state().equals(state), app + "'s record saying " + state);
    }

    private FakeHost.Proc online(zdm.config.AppSpecBuilder spec) {
        var built = spec.build();
        f.start(built);
        f.host.advance(1_000);
        var p = f.host.alive(built.name()).getFirst();
        recorded(built.name(), "online");
        return p;
    }

    private String appLog(String app) throws java.io.IOException {
        return Files.readString(home.resolve("logs").resolve(app + ".out.log"));
    }

    @Test
    void aWorkerStoppedAsAskedIsRecordedStopped() {
        online(SupervisorFixture.spec("web"));
        f.onLoop(() -> f.sup.registry().apps().get("web").stop(false));
        assertEquals(List.of("stopped"), f.states("web"));
        recorded("web", "stopped");
    }

    @Test
    void aCrashIsRecordedWaitingToRestartAndGivingUpIsRecordedErroredAndNotedInTheAppLog() throws Exception {
        f.start(SupervisorFixture.spec("web").maxRestarts(0).build());
        f.host.newest("web", 0).exits(1); // within min_uptime: an unstable start
        assertEquals(List.of("errored"), f.states("web"));
        recorded("web", "errored");
        assertTrue(appLog("web").contains("worker 0 errored: 1 failed starts in a row (code 1; each exited within min_uptime 1000 ms,"
                + " was not ready, or could not be started); not restarting"), appLog("web"));

        var q = online(SupervisorFixture.spec("api").restartDelayMs(1_000));
        q.exits(1);
        var waiting = recorded("api", "waiting-restart");
        assertEquals(1, waiting.restarts());
    }

    @Test
    void aFinishedOneShotJobIsRecordedStopped() {
        var p = online(SupervisorFixture.spec("job").autorestart(false));
        p.exits(0);
        recorded("job", "stopped");
    }

    @Test
    void aNewWorkerThatCrashesWhileTheReloadGoesOnFailsTheReload() {
        f.start(SupervisorFixture.spec("web").instances(2).build());
        f.host.advance(1_000);
        var outcome = f.reload("web");
        f.host.advance(2_000); // slot 0's new worker serves; slot 1's candidate is starting
        var placed = f.host.newest("web", 0);
        assertEquals(List.of("online", "online"), f.states("web"));
        f.host.advance(500);
        placed.exits(1);
        assertFalse(outcome.get().ok(), String.valueOf(outcome.get()));
        assertTrue(f.hasEvent("web", "reload-failed: worker 0: new pid " + placed.pid + " exited (code 1) after 2500 ms, while the"
                + " reload was still running; 1 of 2 replaced, the old workers keep serving"), f.events("web").toString());
    }

    @Test
    void aWorkerThatExitsByItselfAsItsDrainBeginsIsStoppedAndItsPortCloses() throws Exception {
        int port = FreePorts.reserve();
        var p = online(SupervisorFixture.spec("web").port(port));
        // Its exit is handled just after the stop took it out of the rotation, before the (empty) drain ends.
        f.onLoop(() -> {
            p.exit.complete(new ExitStatus(0, null));
            f.sup.registry().apps().get("web").stop(false);
        });
        assertEquals(List.of("stopped"), f.states("web"));
        assertTrue(f.hasEvent("web", "stopped: pid " + p.pid + " code 0"), f.events("web").toString());
        assertFalse(f.hasEvent("web", "drained"), "the drain found it gone: " + f.events("web"));
        assertTrue(p.signals.isEmpty(), "nothing to signal: " + p.signals);
        recorded("web", "stopped");
        Await.until(Duration.ofSeconds(10), () -> {
            try (var s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        }, () -> "port " + port + " still bound");
    }
}
