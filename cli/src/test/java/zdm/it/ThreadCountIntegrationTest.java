package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.test.Await;

/**
 * The daemon's thread count does not grow with its workers (issue 16): one thread reaps every worker
 * (pidfds in one epoll set), one captures every worker's output and one reads every worker's NOTIFY_SOCKET.
 * 100 apps of 2 tiny workers each.
 */
@ExtendWith(ZdmHomes.class)
class ThreadCountIntegrationTest {
    private static final int APPS = 100;
    private static final int BOUND = 40;

    ZdmHome z;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
    }

    @Test
    void twoHundredWorkersDoNotCostAThreadEach() throws Exception {
        assertBoundedWith("min_uptime: 200ms", "");
    }

    /** Each worker has a NOTIFY_SOCKET (liveness: watchdog; the sleepers send nothing): one thread reads them all. */
    @Test
    void twoHundredNotifySocketsDoNotCostAThreadEach() throws Exception {
        assertBoundedWith("min_uptime: 200ms\n    liveness: watchdog\n    liveness_interval: 10m", " with a NOTIFY_SOCKET");
    }

    private void assertBoundedWith(String keys, String what) throws Exception {
        z.ecosystemOfSleepers("tiny", APPS, 2, keys);
        z.ok("start", "ecosystem.yaml");
        Await.until(Duration.ofSeconds(120), () -> z.apps().stream().mapToLong(a -> a.onlineCount()).sum() == 2 * APPS,
                "all 200 workers online");
        long daemon = z.daemonPid().orElseThrow();
        assertEquals(2 * APPS, z.taggedProcesses().size(), "200 worker processes");

        long threads = threads(daemon);
        System.out.println("daemon threads with " + 2 * APPS + " workers" + what + ": " + threads);
        assertTrue(threads <= BOUND, "the daemon has " + threads + " threads with " + 2 * APPS + " workers" + what + " (bound " + BOUND + ")");
    }

    private static long threads(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("Threads:"))
                .mapToLong(l -> Long.parseLong(l.substring(8).trim())).findFirst().orElseThrow();
    }
}
