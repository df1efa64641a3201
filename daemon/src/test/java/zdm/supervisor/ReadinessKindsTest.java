package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.config.Listen;
import zdm.config.Readiness;
import zdm.net.FreePorts;

/**
 * The readiness kinds the fake host cannot satisfy ({@link ReadinessCheck}): pm2's {@code process.send('ready')} and
 * Node's listening event never come from a fake process, so each start fails at listen_timeout and says which
 * signal of readiness it waited for.
 */
class ReadinessKindsTest extends FixtureTest {
    @Test
    void readyMessageThatNeverComesFailsAtListenTimeoutNamingIt() {
        f.start(SupervisorFixture.spec("web").ready(new Readiness.Message()).listenTimeoutMs(2_000).build());
        f.host.advance(1_975);
        assertEquals(List.of("starting"), f.states("web"), "probed until listen_timeout");
        f.host.advance(25);
        assertTrue(f.hasEvent("web", "not-ready: did not process.send('ready') within listen_timeout 2000 ms; sending SIGTERM,"
                + " SIGKILL after kill_timeout 5000 ms"), f.events("web").toString());
    }

    @Test
    void readyListeningOfASocketModeAppNamesThePortItsListenWouldHaveShared() throws Exception {
        int port = FreePorts.reserve();
        f.start(SupervisorFixture.spec("web").port(port).listen(Listen.SOCKET).ready(new Readiness.Listening()).listenTimeoutMs(1_000).build());
        f.host.advance(1_000);
        assertTrue(f.hasEvent("web", "not-ready: did not listen on its port " + port + " (zdm's preload turns that listen() into the"
                + " shared socket) within listen_timeout 1000 ms; sending SIGTERM, SIGKILL after kill_timeout 5000 ms"), f.events("web").toString());
    }

    @Test
    void aPortLearningWorkerStartedBeforeThePortIsKnownIsReadyAfterMinUptimeIfItNeverListens() {
        f.start(SupervisorFixture.spec("queue").listen(Listen.SOCKET).ready(new Readiness.Listening()).minUptimeMs(1_500).build());
        f.host.advance(1_499);
        assertEquals(List.of("starting"), f.states("queue"));
        f.host.advance(1);
        assertEquals(List.of("online"), f.states("queue"), "a queue consumer never listens: min_uptime decides");
    }
}
