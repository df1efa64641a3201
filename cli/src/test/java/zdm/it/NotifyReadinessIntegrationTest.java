package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import zdm.net.FreePorts;
import zdm.protocol.EventView;
import zdm.protocol.Request;
import zdm.protocol.Response;

/** ready: notify (sd_notify's READY=1), with a Python worker serving on the inherited fd 3. */
class NotifyReadinessIntegrationTest {
    ZdmHome z;
    int port;

    @BeforeEach
    void setUp() throws Exception {
        z = new ZdmHome();
        port = FreePorts.reserve();
        z.testApp("notify.py");
    }

    @AfterEach
    void tearDown() {
        z.close();
    }

    private void start(String notifyAfter) throws Exception {
        z.ecosystem("""
                apps:
                  - name: py
                    command: [python3, notify.py]
                    port: %d
                    listen: socket
                    ready: notify
                    listen_timeout: 3s
                    max_restarts: 0
                    env: { ZDM_TEST_TAG: ${TAG}, NOTIFY_AFTER_S: '%s' }
                """.formatted(port, notifyAfter));
        z.zdm("start", "ecosystem.yaml");
    }

    private List<EventView> events() {
        return ((Response.Described) z.request(new Request.Describe("py"))).app().events();
    }

    @Test
    void theWorkerIsOnlineWhenItSaysReadyAndServesOnFd3() throws Exception {
        start("1.5");
        Await.until(ZdmHome.SHORT, () -> events().stream().anyMatch(e -> e.kind().equals("online")), "the worker is online");
        var online = events().stream().filter(e -> e.kind().equals("online")).findFirst().orElseThrow().detail();
        long ms = Long.parseLong(online.replaceAll(".*ready after (\\d+) ms.*", "$1"));
        assertTrue(ms >= 1500, "online only once READY=1 was sent, 1.5 s after the start: " + online);
        var reply = Http.get(port, "/");
        assertEquals(200, reply.status());
        assertTrue(reply.body().contains("python pid " + z.pids("py").getFirst()), reply.body());
    }

    @Test
    void aWorkerThatNeverSaysReadyFailsItsStartAtTheDeadline() throws Exception {
        start("never");
        Await.until(ZdmHome.SHORT, () -> events().stream().anyMatch(e -> e.kind().equals("not-ready")), "the deadline passed");
        var why = events().stream().filter(e -> e.kind().equals("not-ready")).findFirst().orElseThrow().detail();
        assertTrue(why.contains("sent no READY=1 to its NOTIFY_SOCKET within listen_timeout 3000 ms"), why);
        assertTrue(events().stream().noneMatch(e -> e.kind().equals("online")), events().toString());
    }
}
