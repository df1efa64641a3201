package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.config.Liveness;
import zdm.proc.Signal;

/**
 * liveness: watchdog (systemd's WatchdogSec): once online, a worker must send WATCHDOG=1 at least every
 * liveness_interval; one that lets the interval pass is killed with SIGKILL and restarted, and WATCHDOG=trigger asks
 * for that at once. The clock starts when the worker goes online. The messages are handed to the loop as its
 * NOTIFY_SOCKET reader hands them ({@link NotifyWatch#apply}).
 */
class WatchdogTest extends FixtureTest {
    private FakeHost.Proc online(long intervalMs) {
        f.start(SupervisorFixture.spec("svc").liveness(Liveness.WATCHDOG).livenessIntervalMs(intervalMs).build());
        f.host.advance(1_000);
        assertEquals(List.of("online"), f.states("svc"));
        return f.host.newest("svc", 0);
    }

    private void sends(String text) {
        f.onLoop(() -> {
            var app = f.sup.registry().apps().get("svc");
            var w = app.serving(0);
            NotifyWatch.apply(app, w, w.generation(), w.state().pid(), NotifyMessage.parse(text));
        });
    }

    @Test
    void aWorkerThatNeverSendsWatchdogIsKilledOneIntervalAfterItWentOnline() {
        var worker = online(5_000);
        f.host.advance(4_999);
        assertTrue(worker.alive(), "the interval counts from online, not from the spawn");
        f.host.advance(1);
        assertFalse(worker.alive());
        assertEquals(List.of(Signal.SIGKILL), worker.signals);
        assertTrue(f.hasEvent("svc", "unresponsive: pid " + worker.pid + " sent no WATCHDOG=1 since it went online 5000 ms"
                + " (liveness: watchdog, liveness_interval 5000 ms); killing it"), f.events("svc").toString());
        assertEquals(List.of("waiting-restart"), f.states("svc"));
    }

    @Test
    void eachHeartbeatMovesTheDeadlineToOneIntervalAfterIt() {
        var worker = online(5_000);
        f.host.advance(3_000);
        sends("WATCHDOG=1");
        f.host.advance(4_999);
        assertTrue(worker.alive(), "5 s after the heartbeat, not after online: " + f.events("svc"));
        f.host.advance(1);
        assertFalse(worker.alive());
        assertTrue(f.hasEvent("svc", "unresponsive: pid " + worker.pid + " sent no WATCHDOG=1 for 5000 ms (liveness: watchdog,"
                + " liveness_interval 5000 ms); killing it"), f.events("svc").toString());
    }

    @Test
    void aWorkerThatKeepsSendingIsKeptForGood() {
        var worker = online(2_000);
        for (int i = 0; i < 30; i++) {
            f.host.advance(1_500);
            sends("WATCHDOG=1");
        }
        assertTrue(worker.alive(), f.events("svc").toString());
        assertFalse(f.hasEvent("svc", "unresponsive"));
    }

    @Test
    void watchdogTriggerKillsTheWorkerAtOnce() {
        var worker = online(60_000);
        sends("WATCHDOG=trigger");
        assertFalse(worker.alive());
        assertEquals(List.of(Signal.SIGKILL), worker.signals);
        assertTrue(f.hasEvent("svc", "unresponsive: pid " + worker.pid + " sent WATCHDOG=trigger; killing it"), f.events("svc").toString());
    }

    @Test
    void theRestartedProcessGetsAFreshInterval() {
        var first = online(5_000);
        f.host.advance(5_000);
        assertFalse(first.alive());
        f.host.advance(100); // the backoff
        f.host.advance(1_000); // online again
        var second = f.host.newest("svc", 0);
        assertTrue(second.alive() && second != first);
        f.host.advance(4_999);
        assertTrue(second.alive(), "its own interval, from its own online: " + f.events("svc"));
        f.host.advance(1);
        assertFalse(second.alive());
    }
}
