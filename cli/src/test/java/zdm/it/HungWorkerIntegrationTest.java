package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.net.FreePorts;
import zdm.proc.Posix;
import zdm.proc.Signal;
import zdm.protocol.EventView;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.protocol.WorkerView;
import zdm.test.Await;

/**
 * A worker that hangs (here: SIGSTOP, a real stopped process) is alive for the OS, and the kernel even
 * completes TCP handshakes for it; only its liveness probe notices. It must leave the rotation and
 * be replaced, and the app keeps answering.
 */
@ExtendWith(ZdmHomes.class)
class HungWorkerIntegrationTest {
    ZdmHome z;
    long stopped;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
    }

    @AfterEach
    void tearDown() {
        if (stopped > 0 && ZdmHome.alive(stopped)) Posix.kill(stopped, Signal.SIGCONT); // let close() stop it normally
    }

    @Test
    void aStoppedWorkerIsTakenOutOfRotationAndReplaced() throws Exception {
        int port = FreePorts.reserve();
        z.testApp("http.js");
        z.ecosystem("""
                apps:
                  - name: web
                    script: http.js
                    instances: 2
                    port: %d
                    liveness_interval: 200ms
                    liveness_timeout: 300ms
                    liveness_failures: 2
                    restart_delay: 100ms
                    env: { ZDM_TEST_TAG: ${TAG} }
                """.formatted(port));
        z.ok("start", "ecosystem.yaml");
        Await.until(ZdmHome.SHORT, () -> z.app("web").onlineCount() == 2, "two workers online");
        long other = z.app("web").workers().get(1).pid();
        stopped = z.app("web").workers().get(0).pid();

        Posix.kill(stopped, Signal.SIGSTOP);
        Await.until(ZdmHome.SHORT, () -> !ZdmHome.alive(stopped), "the stopped worker is killed");
        Await.until(ZdmHome.SHORT, () -> {
            var w = z.app("web").workers().get(0);
            return w.state() == WorkerView.State.ONLINE && w.pid() != stopped;
        }, "slot 0 serves again with a new process");
        assertEquals(other, z.app("web").workers().get(1).pid(), "the healthy worker was left alone");

        var events = ((Response.Described) z.request(new Request.Describe("web"))).app().events();
        var unresponsive = events.stream().filter(e -> "unresponsive".equals(e.kind())).map(EventView::toString).toList();
        assertEquals(1, unresponsive.size(), events.toString());
        assertTrue(unresponsive.getFirst().contains("liveness_failures"), unresponsive.toString());
        for (int i = 0; i < 20; i++) assertEquals(200, Http.get(port, "/").status(), "request " + i);
    }
}
