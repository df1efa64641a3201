package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.net.FreePorts;
import zdm.proc.Signal;
import zdm.store.WorkerRecord;
import zdm.test.Await;

/**
 * Exits at the edges of {@link WorkerExits}: the store's record after an exit code in {@code stop_exit_codes} and
 * after a spawn that fails without {@code autorestart} (what the next daemon restores from), and the port of a
 * stopped app, which closes only once a reload's old worker, the last process, is gone.
 */
class ExitEdgesTest extends RequestTest {
    private WorkerRecord recorded(String app, String state) {
        return Await.value(Duration.ofSeconds(10), () -> f.store.workers().stream().filter(w -> w.app().equals(app) && w.id() == 0)
                .findFirst().orElse(null), w -> w != null && w.state().equals(state), app + "'s record saying " + state);
    }

    @Test
    void anExitCodeInStopExitCodesIsRecordedStopped() {
        f.start(SupervisorFixture.spec("web").stopExitCodes(List.of(3)).build());
        f.host.advance(1_000);
        recorded("web", "online");
        f.host.newest("web", 0).exits(3);
        assertEquals(List.of("stopped"), f.states("web"));
        var record = recorded("web", "stopped");
        assertEquals(0, record.pid(), "no process to find after a restart of the daemon");
    }

    @Test
    void aSpawnThatFailsWithoutAutorestartIsRecordedErrored() {
        f.host.spawnFailures.put("job", "no such file: ./job.sh");
        f.start(SupervisorFixture.spec("job").autorestart(false).build());
        assertEquals(List.of("errored"), f.states("job"));
        recorded("job", "errored");
    }

    @Test
    void aStoppedAppsPortClosesWhenItsLastProcessIsAReloadsOldWorker() throws Exception {
        int port = FreePorts.reserve();
        f.start(SupervisorFixture.spec("web").port(port).killTimeoutMs(10_000).build());
        f.host.advance(1_000);
        var old = f.host.newest("web", 0);
        old.ignoresStopSignal = true; // it takes its kill_timeout to go
        f.reload("web");
        f.host.advance(1_000); // the replacement is ready
        f.host.advance(1_000); // and stable: the old worker drains, then is told to stop
        assertTrue(old.alive() && old.signals.contains(Signal.SIGTERM), "the old worker is on its way out: " + f.events("web"));
        var app = f.app("web");
        f.onLoop(() -> app.stop(false));
        assertEquals(List.of("stopped"), f.states("web"));
        assertFalse(portIsFree(port), "the old worker may still answer what it has");
        f.host.advance(10_000);
        assertFalse(old.alive());
        assertTrue(portIsFree(port), "the port goes with the last process: " + f.events("web"));
    }
}
