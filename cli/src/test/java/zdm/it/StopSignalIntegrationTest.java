package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.net.FreePorts;
import zdm.test.Await;

/**
 * The stop signal reaches each process of a worker's tree exactly once. Servers such as uvicorn treat a
 * second SIGINT as "force quit" and drop the requests they are serving; a fixture that counts the
 * kernel's deliveries checks the worker and its setsid'd child.
 */
@ExtendWith(ZdmHomes.class)
class StopSignalIntegrationTest {
    ZdmHome z;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
    }

    @Test
    void aProcessAndItsSetsidChildEachGetOneSigint() throws Exception {
        z.testApp("sigcount.py");
        Path counts = Files.createDirectories(z.dir.resolve("counts"));
        z.ecosystem("""
                apps:
                  - name: counter
                    command: [python3, sigcount.py, %s, --setsid-child]
                    stop_signal: SIGINT
                    kill_timeout: 10s
                    env: { ZDM_TEST_TAG: ${TAG} }
                """.formatted(counts));
        z.ok("start", "ecosystem.yaml");
        Await.until(ZdmHome.SHORT, () -> files(counts, "ready.") == 2, "both processes counting");

        z.ok("stop", "counter");

        assertEquals(2, files(counts, "count."), "both processes wrote their count");
        try (var all = Files.list(counts)) {
            for (var f : all.filter(f -> f.getFileName().toString().startsWith("count.")).toList()) {
                assertEquals("1", Files.readString(f), f.getFileName() + ": SIGINT deliveries");
            }
        }
    }

    @Test
    void uvicornFinishesItsInFlightRequestOnStop() throws Exception {
        assumeTrue(Installed.pythonModule("uvicorn"), "/usr/bin/python3 -m uvicorn is not available (Debian: python3-uvicorn; bin/test installs it as root)");
        int port = FreePorts.reserve();
        z.testApp("slowasgi.py");
        Path started = z.dir.resolve("slow-started");
        z.ecosystem("""
                apps:
                  - name: api
                    command: [/usr/bin/python3, -m, uvicorn, slowasgi:app, --host, 127.0.0.1, --port, "%d"]
                    stop_signal: SIGINT
                    kill_timeout: 15s
                    env: { ZDM_TEST_TAG: ${TAG}, STARTED_FILE: %s }
                """.formatted(port, started));
        z.ok("start", "ecosystem.yaml");
        Await.until(ZdmHome.SHORT, () -> answers(port), "uvicorn answers");

        var slow = CompletableFuture.supplyAsync(() -> {
            try {
                return Http.get(port, "/slow");
            } catch (Exception e) {
                return new Http.Reply(-1, e.toString());
            }
        });
        Await.until(ZdmHome.SHORT, () -> Files.exists(started), "the slow request is in flight");
        z.ok("stop", "api");

        // One SIGINT: uvicorn stops accepting and waits for the request. A second one would be its
        // "force quit", which closes the connection without an answer.
        assertEquals(new Http.Reply(200, "slow done"), slow.get(30, TimeUnit.SECONDS));
    }

    private static boolean answers(int port) {
        try {
            return Http.get(port, "/").status() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static long files(Path dir, String prefix) {
        try (var all = Files.list(dir)) {
            return all.filter(f -> f.getFileName().toString().startsWith(prefix)).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
