package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import zdm.config.Listen;
import zdm.config.Readiness;
import zdm.net.FreePorts;

/**
 * What goes with the daemon when it stops ({@code zdm kill}, SIGTERM), besides its workers (LogsAndShutdownTest):
 * the apps' ports, their cron triggers and the NOTIFY_SOCKET directory, which stays while kept {@code listen: socket}
 * workers may still use it.
 */
class ShutdownTest extends RequestTest {

    /** The daemon's stop, from another thread, without moving the clock: a worker that obeys its signal is gone at once. */
    private void shutdown(boolean keepSocketWorkers) {
        try {
            CompletableFuture.runAsync(() -> f.sup.shutdown(keepSocketWorkers)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the shutdown did not end within a minute", e);
        }
    }

    @Test
    void shutdownClosesTheAppsPorts() throws IOException {
        int port = FreePorts.reserve();
        f.start(SupervisorFixture.spec("web").port(port).build());
        f.host.advance(1_000);
        assertFalse(portIsFree(port));
        shutdown(false);
        assertTrue(portIsFree(port));
    }

    @Test
    void shutdownEndsCronRestarts() {
        f.host.setWall(f.host.wallMs() / 10_000 * 10_000 + 500); // the first tick is 9.5 s away
        f.start(SupervisorFixture.spec("nightly").cronRestart("*/10 * * * * *").build());
        f.host.advance(1_000);
        shutdown(false);
        assertEquals(1, f.host.procs.size());
        f.host.advance(60_000);
        assertEquals(1, f.host.procs.size(), "no reload after the daemon stopped");
        assertFalse(f.hasEvent("nightly", "reload") || f.hasEvent("nightly", "reload-begin"), f.events("nightly").toString());
    }

    /**
     * A home whose path is too long for a socket address: the NOTIFY_SOCKETs go to a short private directory outside
     * it, which the daemon removes when it stops (one in the home stays with the home).
     */
    private void inALongHome() throws Exception {
        f.close();
        f = new SupervisorFixture(home.resolve("a-home-whose-path-leaves-no-room-for-a-socket-name-".repeat(2)));
    }

    @Test
    void shutdownRemovesTheNotifySocketDirectoryOutsideTheHome() throws Exception {
        inALongHome();
        f.start(SupervisorFixture.spec("svc").ready(new Readiness.Notify()).build());
        var dir = f.on(() -> f.sup.registry().notifyDir());
        assertFalse(dir.startsWith(f.home), dir.toString());
        assertTrue(Files.isDirectory(dir));
        shutdown(false);
        assertFalse(Files.exists(dir));
    }

    @Test
    void keptSocketWorkersKeepTheNotifySocketDirectory() throws Exception {
        inALongHome();
        f.start(SupervisorFixture.spec("sock").port(FreePorts.reserve()).listen(Listen.SOCKET).build());
        f.start(SupervisorFixture.spec("svc").ready(new Readiness.Notify()).build());
        f.host.advance(1_000);
        var dir = f.on(() -> f.sup.registry().notifyDir());
        shutdown(true);
        assertTrue(Files.isDirectory(dir), "a kept worker's NOTIFY_SOCKET stays where it is");
        shutdown(false); // the exit path's second call keeps it too
        assertTrue(Files.isDirectory(dir));
        f.on(() -> { f.sup.registry().removeNotifyDir(); return null; }); // what a later daemon's stop does
    }
}
