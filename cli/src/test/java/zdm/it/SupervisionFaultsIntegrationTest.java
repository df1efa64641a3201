package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.net.FreePorts;
import zdm.protocol.AppView;
import zdm.protocol.EventView;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.test.Await;

/**
 * Apps that misbehave on purpose, with real processes: no app can take down the daemon or another
 * app (a program that does not exist, across a daemon restart), a release that passes readiness and
 * then crashes is refused under load, and a worker that grows past max_memory_restart is replaced.
 */
@ExtendWith(ZdmHomes.class)
class SupervisionFaultsIntegrationTest {
    ZdmHome z;
    int port;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
        port = FreePorts.reserve();
        z.testApp("http.js");
    }

    private java.util.List<String> eventKinds(String app) {
        return ((Response.Described) z.request(new Request.Describe(app))).app().events().stream().map(EventView::kind).toList();
    }

    @Test
    void aMissingProgramNextToAHealthyAppSurvivesADaemonRestart() throws Exception {
        z.ecosystem("""
                apps:
                  - name: broken
                    command: [zdm-no-such-binary, --serve]
                    max_restarts: 2
                    restart_delay: 50ms
                  - name: web
                    script: http.js
                    port: %d
                    env: { ZDM_TEST_TAG: ${TAG} }
                """.formatted(port));
        var start = z.zdm("start", "ecosystem.yaml");
        assertEquals(1, start.exitCode(), "an answer, with the broken app reported: " + start);
        assertTrue(start.err().contains("broken"), start.toString());
        Await.until(ZdmHome.SHORT, () -> z.app("broken").status() == AppView.Status.ERRORED, () -> "broken errored: " + z.app("broken"));
        assertEquals(AppView.Status.RUNNING, z.app("web").status());
        assertTrue(eventKinds("broken").contains("spawn-failed"), eventKinds("broken").toString());
        assertEquals(200, Http.get(port, "/").status());

        z.ok("kill");
        var ls = z.zdm("ls"); // starts a new daemon, which restores both apps
        assertEquals(0, ls.exitCode(), ls.toString());
        Await.until(ZdmHome.SHORT, () -> z.app("web").status() == AppView.Status.RUNNING, () -> "web back: " + z.app("web"));
        Await.until(ZdmHome.SHORT, () -> z.app("broken").status() == AppView.Status.ERRORED, () -> "broken errored: " + z.app("broken"));
        assertEquals(200, Http.get(port, "/").status());
        z.ok("delete", "broken");
        z.ok("kill");
    }

    @Test
    void aReleaseThatCrashesAfterListeningIsRefusedUnderLoad() throws Exception {
        String eco = """
                apps:
                  - name: web
                    script: http.js
                    instances: 2
                    port: %d
                    listen: proxy                 # the proxy retries a GET the dying replacement took; a socket-mode worker takes it down with it
                    min_ready_time: 4s
                    kill_timeout: 10s
                    env: { ZDM_TEST_TAG: ${TAG}%s }
                """;
        z.ecosystem(eco.formatted(port, ""));
        z.ok("start", "ecosystem.yaml");
        var old = z.pids("web");
        try (var load = Load.start(port, 8, false)) {
            Await.until(ZdmHome.SHORT, () -> load.ok() > 50, "load is flowing");
            z.ecosystem(eco.formatted(port, ", CRASH_AFTER_MS: '1500'"));
            var r = z.zdm("start", "ecosystem.yaml");
            assertEquals(1, r.exitCode(), r.toString());
            assertTrue(r.err().contains("reload of web failed"), r.toString());
            assertTrue(r.err().contains("ECONNREFUSED 127.0.0.1:5432"), "the replacement's stderr is quoted: " + r);
            assertEquals(old, z.pids("web"), "the old workers keep serving");
            long served = load.ok();
            Await.until(ZdmHome.SHORT, () -> load.ok() > served + 50, "still serving");
            load.close();
            assertEquals(0, load.failed(), "failed requests: " + load);
        }
        var kinds = eventKinds("web");
        assertTrue(kinds.contains("reload-failed") && kinds.contains("config-rolled-back"), kinds.toString());
        assertEquals(AppView.Status.RUNNING, z.app("web").status());
    }

    @Test
    void aGrowingWorkerIsReplacedWithoutDowntime() throws Exception {
        z.ecosystem("""
                apps:
                  - name: web
                    script: http.js
                    port: %d
                    max_memory_restart: 120M
                    min_ready_time: 500ms
                    env: { ZDM_TEST_TAG: ${TAG}, GROW_MB_PER_S: '16' }
                """.formatted(port));
        z.ok("start", "ecosystem.yaml");
        long first = z.pids("web").getFirst();
        try (var load = Load.start(port, 4, false)) {
            Await.until(Duration.ofSeconds(60), () -> eventKinds("web").contains("replace-end"), () -> "replaced: " + eventKinds("web"));
            load.close();
            assertEquals(0, load.failed(), "failed requests: " + load);
        }
        var events = ((Response.Described) z.request(new Request.Describe("web"))).app().events();
        var limit = events.stream().filter(e -> e.kind().equals("memory-limit")).findFirst().orElseThrow();
        assertTrue(limit.detail().contains("over max_memory_restart 120.0M"), limit.detail());
        assertNotEquals(first, z.pids("web").getFirst());
        assertTrue(!ZdmHome.alive(first), "the grown worker is gone");
    }
}
