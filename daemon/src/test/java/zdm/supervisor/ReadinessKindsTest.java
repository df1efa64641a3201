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

    @Test
    void httpReadinessIsProbedUntilListenTimeoutNotJudgedAtTheFirstMiss() throws Exception {
        f.host.listenAtOnce = false;
        f.start(SupervisorFixture.spec("api").port(FreePorts.reserve()).ready(new Readiness.Http("/health")).listenTimeoutMs(2_000).build());
        f.host.advance(1_500);
        assertEquals(List.of("starting"), f.states("api"), "probed until listen_timeout: " + f.events("api"));
        f.host.newest("api", 0).listening = true;
        f.host.advance(400);
        assertEquals(List.of("online"), f.states("api"), f.events("api").toString());
    }

    @Test
    void readyListeningIsWaitedForUntilListenTimeout() throws Exception {
        f.start(SupervisorFixture.spec("web").port(FreePorts.reserve()).listen(Listen.SOCKET).ready(new Readiness.Listening())
                .listenTimeoutMs(2_000).build());
        f.host.advance(1_900);
        assertEquals(List.of("starting"), f.states("web"), "waited for until listen_timeout: " + f.events("web"));
    }
}
