package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import zdm.test.Await;

/**
 * The zero-drop check both listen modes share: rolling reloads of a 2-worker app "web" while {@link Load} runs, then
 * every pid changed, no old worker left, the load still flowing, and not one failed request.
 */
final class ReloadsUnderLoad {
    /** How soon an old worker must be gone. */
    enum OldWorkers {
        /** By the time `zdm reload` returns: the reload ends when its drained workers have exited (proxy mode). */
        GONE_ON_RETURN,
        /** Within {@link ZdmHome#SHORT} of the return: what the socket-mode test has always allowed. */
        GONE_SOON
    }

    private ReloadsUnderLoad() {}

    static void assertNothingDropped(ZdmHome z, int port, boolean keepAlive, int reloads, OldWorkers oldWorkers)
            throws Exception {
        assertNothingDropped(z, port, keepAlive, reloads, oldWorkers, 0);
    }

    /**
     * {@code silentClients} more clients stay silent for 1.5 s after each connect (a browser's preconnect, a client
     * stalled on a busy machine): longer than the proxy's protocol sniffing and the Node preload's idle grace wait.
     */
    static void assertNothingDropped(ZdmHome z, int port, boolean keepAlive, int reloads, OldWorkers oldWorkers,
                                     int silentClients) throws Exception {
        try (var load = Load.start(port, 8, keepAlive);
                var silent = Load.startSilentFirst(port, silentClients, keepAlive, java.time.Duration.ofMillis(1500))) {
            Await.until(ZdmHome.SHORT, () -> load.ok() > 50 && silent.ok() >= silentClients, "load is flowing");
            for (int i = 0; i < reloads; i++) {
                var before = new HashSet<>(z.pids("web"));
                var r = z.ok("reload", "web");
                assertTrue(r.out().contains("reloaded web: 2 worker(s) replaced"), r.toString());
                var after = z.pids("web");
                assertEquals(2, after.size(), z.apps().toString());
                after.forEach(p -> assertTrue(!before.contains(p), "every pid changed: " + before + " -> " + after));
                for (long p : before) {
                    if (oldWorkers == OldWorkers.GONE_ON_RETURN) {
                        assertTrue(!ZdmHome.alive(p), "old worker " + p + " is gone");
                    } else {
                        Await.until(ZdmHome.SHORT, () -> !ZdmHome.alive(p), "old worker " + p + " is gone");
                    }
                }
            }
            long served = load.ok();
            Await.until(ZdmHome.SHORT, () -> load.ok() > served + 50, "load still flowing after the reloads");
            load.close();
            silent.close();
            assertEquals(0, load.failed(), "failed requests: " + load);
            assertEquals(0, silent.failed(), "failed requests of the clients silent after connecting: " + silent);
        }
        assertEquals(2, z.taggedProcesses().size(), "no leftover processes");
    }
}
