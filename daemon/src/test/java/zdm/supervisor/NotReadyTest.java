package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.config.Readiness;
import zdm.proc.Signal;

/**
 * A worker that never becomes ready gets its stop signal, then SIGKILL after kill_timeout (not
 * SIGKILL at once), and its events say what happened and how long it lived; {@code ready: {log}}
 * matches a line on either stream.
 */
class NotReadyTest extends FixtureTest {
    @Test
    void aWorkerThatIsNeverReadyGetsItsStopSignalThenSigkillAfterKillTimeout() {
        f.start(SupervisorFixture.spec("api").ready(new Readiness.Log("listening")).listenTimeoutMs(6_000)
                .killTimeoutMs(3_000).stopSignal(Signal.SIGINT).build());
        var p = f.host.newest("api", 0);
        p.ignoresStopSignal = true;
        f.host.advance(6_000);
        assertEquals(List.of(Signal.SIGINT), p.signals);
        assertTrue(f.hasEvent("api", "not-ready: printed no line matching /listening/ within listen_timeout 6000 ms; sending SIGINT, SIGKILL after kill_timeout 3000 ms"),
                f.events("api").toString());
        f.host.advance(2_999);
        assertTrue(p.alive());
        f.host.advance(1);
        assertFalse(p.alive());
        assertEquals(List.of(Signal.SIGINT, Signal.SIGKILL), p.signals);
        assertTrue(f.hasEvent("api", "exited: signal SIGKILL after 9000 ms (stopped: not ready within listen_timeout)"), f.events("api").toString());
        assertTrue(f.hasEvent("api", "killed: pid " + p.pid + " ignored SIGINT for kill_timeout 3000 ms; sent SIGKILL to its process tree"), f.events("api").toString());
        assertEquals(List.of("waiting-restart"), f.states("api"));
    }

    @Test
    void aReadyLineOnStderrCounts() {
        f.start(SupervisorFixture.spec("api").ready(new Readiness.Log("Listening at")).build());
        f.host.newest("api", 0).prints(true, "[INFO] Listening at: http://127.0.0.1:8000");
        assertEquals(List.of("online"), f.states("api"));
    }
}
