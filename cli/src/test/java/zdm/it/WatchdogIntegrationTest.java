package zdm.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.protocol.EventView;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.test.Await;

/**
 * liveness: watchdog (systemd's WatchdogSec): a worker that keeps sending WATCHDOG=1 stays, one that falls
 * silent for liveness_interval is replaced; WATCHDOG_USEC tells it the interval.
 */
@ExtendWith(ZdmHomes.class)
class WatchdogIntegrationTest {
    ZdmHome z;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
        z.testApp("watchdog.py");
        z.ecosystem("""
                apps:
                  - name: wd
                    command: [python3, watchdog.py]
                    ready: notify
                    liveness: watchdog
                    liveness_interval: 1500ms
                    env: { ZDM_TEST_TAG: ${TAG}, BEATS: '20', EXPECT_USEC: '1500000' }
                """);
    }

    private List<EventView> events() {
        return ((Response.Described) z.request(new Request.Describe("wd"))).app().events();
    }

    /** One look at the workers: asked twice, the old one can be gone between the two (one pid, then none). */
    private boolean oneWorkerOtherThan(long pid) {
        var now = z.pids("wd");
        return now.size() == 1 && now.getFirst() != pid;
    }

    private EventView first(String kind) {
        return events().stream().filter(e -> e.kind().equals(kind)).findFirst().orElseThrow();
    }

    @Test
    void aWorkerThatStopsSendingWatchdogIsReplacedOnlyThen() throws Exception {
        z.ok("start", "ecosystem.yaml");
        long pid = z.pids("wd").getFirst();
        Await.until(ZdmHome.SHORT, () -> events().stream().anyMatch(e -> e.kind().equals("unresponsive")), "the silent worker is caught");
        var online = first("online");
        var unresponsive = first("unresponsive");
        assertTrue(unresponsive.detail().contains("pid " + pid + " sent no WATCHDOG=1 for"), unresponsive.detail());
        assertTrue(unresponsive.detail().contains("(liveness: watchdog, liveness_interval 1500 ms)"), unresponsive.detail());
        // 20 beats of 0.2 s kept it: not caught before about 4 s + 1.5 s of silence.
        long after = unresponsive.timeMs() - online.timeMs();
        assertTrue(after >= 4_000, "caught " + after + " ms after it went online, while it was still beating");
        Await.until(ZdmHome.SHORT, () -> oneWorkerOtherThan(pid)
                && events().stream().filter(e -> e.kind().equals("online")).count() == 2, "it was replaced");
        assertTrue(!ZdmHome.alive(pid), "the silent worker is gone");
    }
}
