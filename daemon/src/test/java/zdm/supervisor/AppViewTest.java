package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.protocol.AppView;
import zdm.protocol.WorkerView;

/**
 * What {@code zdm ls} shows of an app through its life ({@link Views#snapshot}): the app's status at each step, each
 * worker's uptime (none without a process), its last exit, and during a reload each slot's replacement beside it.
 */
class AppViewTest extends FixtureTest {
    private AppView.Status status(String app) {
        return f.view(app).status();
    }

    @Test
    void theStatusFollowsTheWorkersFromStartingToRunningToDegradedToStopped() {
        f.start(SupervisorFixture.spec("web").instances(2).build());
        assertEquals(AppView.Status.STARTING, status("web"), "both starting, none online");
        f.host.advance(1_000);
        assertEquals(AppView.Status.RUNNING, status("web"));
        f.host.newest("web", 1).exits(1);
        assertEquals(AppView.Status.DEGRADED, status("web"), "one of two online");
        f.host.advance(100); // its restart: starting while the other serves
        assertEquals(List.of("online", "starting"), f.states("web"));
        assertEquals(AppView.Status.DEGRADED, status("web"), "not starting: one serves");
        f.onLoop(() -> f.sup.registry().apps().get("web").stop(false));
        assertEquals(AppView.Status.STOPPED, status("web"));
        assertEquals(AppView.Desired.STOPPED, f.view("web").desired());
    }

    @Test
    void anAppWhoseWorkerIgnoresItsStopSignalIsStoppingUntilItIsGone() {
        f.start(SupervisorFixture.spec("web").killTimeoutMs(3_000).build());
        f.host.advance(1_000);
        f.host.newest("web", 0).ignoresStopSignal = true;
        f.onLoop(() -> f.sup.registry().apps().get("web").stop(false));
        assertEquals(AppView.Status.STOPPING, status("web"));
        assertEquals(WorkerView.State.STOPPING, f.view("web").workers().getFirst().state());
        f.host.advance(3_000);
        assertEquals(AppView.Status.STOPPED, status("web"));
    }

    @Test
    void aWorkersUptimeCountsFromItsSpawnAndAWorkerWithoutAProcessHasNone() {
        f.start(SupervisorFixture.spec("web").restartDelayMs(1_000).build());
        f.host.advance(2_500);
        var w = f.view("web").workers().getFirst();
        assertEquals(2_500, w.uptimeMs());
        assertNull(w.lastExit());
        f.host.newest("web", 0).exits(2);
        w = f.view("web").workers().getFirst();
        assertEquals(WorkerView.State.WAITING_RESTART, w.state());
        assertEquals(0, w.uptimeMs(), "no process, no uptime");
        assertEquals(0, w.pid());
        assertEquals("code 2", w.lastExit());
        assertEquals(1, w.restarts());
    }

    @Test
    void duringAReloadEachSlotShowsItsReplacementBesideItAndTheAppIsReloading() {
        f.start(SupervisorFixture.spec("web").instances(2).build());
        f.host.advance(1_000);
        var old = f.host.alive("web");
        f.reload("web");
        var view = f.view("web");
        assertEquals(AppView.Status.RELOADING, view.status());
        assertEquals(List.of(0, 0, 1), view.workers().stream().map(WorkerView::id).toList(), "sorted by slot");
        assertEquals(List.of(old.get(0).pid, f.host.newest("web", 0).pid, old.get(1).pid),
                view.workers().stream().map(WorkerView::pid).toList());
        assertEquals(List.of(WorkerView.State.ONLINE, WorkerView.State.STARTING, WorkerView.State.ONLINE),
                view.workers().stream().map(WorkerView::state).toList());
        f.host.advance(2_000); // slot 0's replacement stable: its old worker drains and stops
        assertEquals(AppView.Status.RELOADING, f.view("web").status());
    }

    @Test
    void theViewNamesTheListenModeOfAnAppWithAPortAndNoneForAnAppWithout() throws java.io.IOException {
        var web = SupervisorFixture.spec("web").port(zdm.net.FreePorts.reserve()).build();
        f.start(web);
        f.start(SupervisorFixture.spec("job").build());
        try {
            assertEquals(web.network().listen().key(), f.view("web").listen());
            assertEquals(web.network().port(), f.view("web").port());
            assertNull(f.view("job").listen());
            assertNull(f.view("job").port());
        } finally {
            f.onLoop(() -> f.sup.registry().apps().values().forEach(App::closeListener));
        }
    }
}
