package zdm.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.net.FreePorts;
import zdm.proc.Posix;
import zdm.proc.Signal;
import zdm.protocol.EventView;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.test.Await;

/** The daemon may die and its store may be damaged; the apps and the user's data may not be lost or doubled. */
@ExtendWith(ZdmHomes.class)
class CrashSafetyIntegrationTest {
    ZdmHome z;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
    }

    @Test
    void aCorruptStoreIsMovedAsideNotDeletedAndTheDaemonStillStarts() throws Exception {
        Files.createDirectories(z.home);
        Files.setPosixFilePermissions(z.home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        byte[] garbage = "not a database at all, just bytes that someone wrote here\n".repeat(50).getBytes();
        Files.write(z.paths().database(), garbage);

        z.ok("ping");
        try (var files = Files.list(z.home)) {
            var aside = files.filter(f -> f.getFileName().toString().startsWith("zdm.db.corrupt-")).toList();
            assertEquals(1, aside.size(), "moved aside once");
            assertArrayEquals(garbage, Files.readAllBytes(aside.getFirst()), "kept byte for byte");
        }
        assertTrue(z.daemonLog().contains("is not a valid zdm database"), z.daemonLog());
        z.ecosystem("""
                apps:
                  - name: a
                    command: sleep 1000
                    min_uptime: 200ms
                    env: { ZDM_TEST_TAG: ${TAG} }
                """);
        z.ok("start", "ecosystem.yaml");
        assertEquals(1, z.taggedProcesses().size());
    }

    @Test
    void aDaemonKilledInTheMiddleOfAReloadLeavesNoOrphanAndNoDuplicate() throws Exception {
        int port = FreePorts.reserve();
        z.testApp("http.js");
        z.ecosystem("""
                apps:
                  - name: web
                    script: http.js
                    instances: 2
                    port: %d
                    listen_timeout: 60s
                    env: { ZDM_TEST_TAG: ${TAG}, START_DELAY_MS: '3000' }
                """.formatted(port));
        z.ok("start", "ecosystem.yaml");
        var before = new HashSet<>(z.taggedProcesses());
        assertEquals(2, before.size());

        var reload = Executors.newVirtualThreadPerTaskExecutor().submit(() -> z.zdm("reload", "web"));
        // The replacement for web[0] is spawned (and booting for 3 s): now 3 processes exist.
        Await.until(ZdmHome.SHORT, () -> z.taggedProcesses().size() == 3, "a replacement beside the old workers");
        long daemon = z.daemonPid().orElseThrow();
        Posix.kill(daemon, Signal.SIGKILL);
        Await.until(ZdmHome.SHORT, () -> !ZdmHome.alive(daemon), "the daemon is dead");
        reload.get(); // the CLI saw its daemon vanish; exit code irrelevant here

        z.ok("ping"); // a new daemon reconciles: every recorded process (old and replacement) is stopped
        Await.until(java.time.Duration.ofSeconds(40), () -> z.app("web").onlineCount() == 2, "web back with 2 workers");
        // A Node app is in socket mode (listen: auto): the leftovers hold the shared socket and serve until the new
        // workers are online, and are retired after that, so their end is awaited rather than assumed.
        Await.until(java.time.Duration.ofSeconds(40), () -> z.taggedProcesses().size() == 2,
                () -> "exactly the two workers, no orphaned replacement: " + z.taggedProcesses());
        before.forEach(p -> assertTrue(!ZdmHome.alive(p), "old worker " + p + " stopped"));
        var kinds = ((Response.Described) z.request(new Request.Describe("web"))).app().events().stream()
                .map(EventView::kind).toList();
        assertEquals(3, kinds.stream().filter("leftover-stopped"::equals).count(), "2 old + 1 replacement found: " + kinds);
        assertEquals(200, Http.get(port, "/").status());
    }
}
