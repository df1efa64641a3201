package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import zdm.proc.Posix;
import zdm.proc.Signal;

/**
 * The disk under ZDM_HOME fills up while apps run (a real 4 MiB tmpfs mounted as the home, so the
 * daemon's own zdm.db, logs and socket live on it). A request that must change the store fails
 * with the store's one-line reason and changes nothing; the workers keep serving, a crashed worker
 * is still restarted (the loop does not stop on failed bookkeeping writes), and once space is freed
 * the same request works. Needs root (mount); skipped otherwise.
 */
@org.junit.jupiter.api.Tag("root")
class FullDiskIntegrationTest {
    ZdmHome z;
    boolean mounted;

    @BeforeEach
    void setUp() throws Exception {
        z = new ZdmHome();
        assumeTrue(Posix.getuid() == 0, "mounting a tmpfs needs root");
        Files.createDirectories(z.home);
        mounted = run("mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", z.home.toString()) == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here (a container without CAP_SYS_ADMIN?)");
    }

    @AfterEach
    void tearDown() throws Exception {
        z.close();
        if (mounted) run("umount", "-l", z.home.toString());
    }

    @Test
    void aFullDiskFailsRequestsClearlyAndTheAppsKeepRunning() throws Exception {
        z.ecosystem("""
                apps:
                  - name: s
                    command: sleep 1000
                    instances: 2
                    min_uptime: 200ms
                    restart_delay: 100ms
                    env: { ZDM_TEST_TAG: ${TAG} }
                """);
        z.ok("start", "ecosystem.yaml");
        List<Long> before = z.pids("s");
        assertEquals(2, before.size());

        Path filler = z.home.resolve("filler");
        fill(filler);

        var stop = z.zdm("stop", "s");
        assertEquals(1, stop.exitCode(), stop.toString());
        assertEquals(List.of("zdm: cannot write " + z.paths().database() + ": disk full (SQLITE_FULL); free space and retry"),
                stop.err().lines().toList());
        assertEquals(before, z.pids("s"), "nothing was stopped");
        assertEquals(2, z.app("s").onlineCount());

        // A worker crashes while the disk is full: supervision goes on and restarts it.
        Posix.kill(before.getFirst(), Signal.SIGKILL);
        Await.until(ZdmHome.SHORT, () -> {
            var w = z.app("s").workers().getFirst();
            return "online".equals(w.state()) && w.pid() != before.getFirst();
        }, "worker 0 restarted with the disk full");
        assertEquals(before.get(1), z.pids("s").get(1));

        Files.delete(filler);
        z.ok("stop", "s");
        assertEquals(List.of(), z.pids("s"));
        assertTrue(z.daemonLog().contains("the store is writable again"), "recovery is logged");
    }

    /** Writes until the file system says it is full. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) out.write(block);
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) throw e;
        }
    }

    private static int run(String... cmd) throws Exception {
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
