package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.config.Readiness;
import zdm.net.FreePorts;

/**
 * Readiness by probe: {@code ready: tcp} and {@code ready: {http: path}} ask the worker's private PORT every 25 ms
 * until it answers (online, in that moment) or listen_timeout passes (not ready: its stop signal, a failed start);
 * {@code ready: {delay: ms}} waits that long. The fake host's probe answers while the fake process "listens".
 */
class ReadinessProbeTest extends FixtureTest {
    @Test
    void tcpReadinessWaitsUntilThePrivatePortAcceptsThenGoesOnline() throws Exception {
        f.host.listenAtOnce = false;
        f.start(SupervisorFixture.spec("api").port(FreePorts.reserve()).ready(new Readiness.Tcp()).listenTimeoutMs(5_000).build());
        var worker = f.host.newest("api", 0);
        f.host.advance(2_000);
        assertEquals(List.of("starting"), f.states("api"));
        worker.listening = true;
        f.host.advance(25);
        assertEquals(List.of("online"), f.states("api"));
        assertTrue(f.hasEvent("api", "online: pid " + worker.pid + " ready after 2025 ms"), f.events("api").toString());
    }

    @Test
    void aWorkerThatNeverAcceptsIsNotReadyAtListenTimeout() throws Exception {
        f.host.listenAtOnce = false;
        f.start(SupervisorFixture.spec("api").port(FreePorts.reserve()).ready(new Readiness.Tcp()).listenTimeoutMs(5_000).build());
        var worker = f.host.newest("api", 0);
        f.host.advance(4_975);
        assertTrue(worker.alive(), "still within listen_timeout");
        f.host.advance(50);
        assertFalse(worker.alive());
        assertTrue(f.hasEvent("api", "not-ready: did not accept connections on its PORT " + worker.port + " within listen_timeout 5000 ms;"
                + " sending SIGTERM, SIGKILL after kill_timeout 5000 ms"),
                f.events("api").toString());
        assertEquals(List.of("waiting-restart"), f.states("api"));
    }

    @Test
    void httpReadinessNamesThePathItAsked() throws Exception {
        f.host.listenAtOnce = false;
        f.start(SupervisorFixture.spec("api").port(FreePorts.reserve()).ready(new Readiness.Http("/health")).listenTimeoutMs(1_000).build());
        var worker = f.host.newest("api", 0);
        f.host.advance(1_100);
        assertTrue(f.hasEvent("api", "not-ready: did not answer 2xx to GET /health on its PORT " + worker.port + " within listen_timeout 1000 ms;"
                + " sending SIGTERM, SIGKILL after kill_timeout 5000 ms"),
                f.events("api").toString());
    }

    @Test
    void delayReadinessWaitsExactlyItsDelay() {
        f.start(SupervisorFixture.spec("job").ready(new Readiness.Delay(3_000)).build());
        f.host.advance(2_999);
        assertEquals(List.of("starting"), f.states("job"));
        f.host.advance(1);
        assertEquals(List.of("online"), f.states("job"));
    }

    @Test
    void aProcessThatExitsWhileProbedIsNotProbedFurther() throws Exception {
        f.host.listenAtOnce = false;
        f.start(SupervisorFixture.spec("api").port(FreePorts.reserve()).ready(new Readiness.Tcp()).listenTimeoutMs(5_000)
                .autorestart(false).build());
        f.host.newest("api", 0).exits(1);
        int probed = f.host.probes.size();
        f.host.advance(6_000);
        assertFalse(f.hasEvent("api", "not-ready"), "a process that is gone is not judged: " + f.events("api"));
        assertEquals(probed, f.host.probes.size(), "nor probed again");
    }
}
