package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import zdm.config.Listen;
import zdm.config.Readiness;
import zdm.protocol.AppView;

/**
 * The daemon's stop ({@code zdm kill}, SIGTERM): every worker stops but each app stays wanted, so the next daemon
 * brings it back; its port, its NOTIFY_SOCKET directory and its cron and watch triggers go with the daemon. With
 * {@code keepSocketWorkers}, {@code listen: socket} workers keep serving for the next daemon to take over.
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

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean free(int port) {
        try (var s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void shutdownStopsEveryWorkerAndTheAppsStayWanted() {
        f.start(SupervisorFixture.spec("web").instances(2).build());
        f.start(SupervisorFixture.spec("api").build());
        f.host.advance(1_000);
        shutdown(false);
        assertTrue(f.host.procs.stream().noneMatch(FakeHost.Proc::alive));
        assertEquals(List.of("stopped", "stopped"), f.states("web"));
        assertTrue(storedRunning("web") && storedRunning("api"), "the next daemon starts them again");
        assertEquals(AppView.Desired.RUNNING, f.view("web").desired());
    }

    @Test
    void shutdownWaitsForAWorkerThatIgnoresItsStopSignal() {
        f.start(SupervisorFixture.spec("web").killTimeoutMs(3_000).build());
        f.host.advance(1_000);
        var stubborn = f.host.newest("web", 0);
        stubborn.ignoresStopSignal = true;
        var done = CompletableFuture.runAsync(() -> f.sup.shutdown(false));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!f.states("web").equals(List.of("stopping")) && System.nanoTime() < deadline) Thread.onSpinWait();
        f.host.advance(2_999);
        assertFalse(done.isDone(), "the daemon waits for its workers");
        f.host.advance(1);
        done.join();
        assertFalse(stubborn.alive(), "killed after kill_timeout, before the shutdown returned");
        assertEquals(List.of(zdm.proc.Signal.SIGTERM, zdm.proc.Signal.SIGKILL), stubborn.signals);
    }

    @Test
    void shutdownClosesTheAppsPorts() throws IOException {
        int port = freePort();
        f.start(SupervisorFixture.spec("web").port(port).build());
        f.host.advance(1_000);
        assertFalse(free(port));
        shutdown(false);
        assertTrue(free(port));
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
        assertFalse(f.hasEvent("nightly", "reload"), f.events("nightly").toString());
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
    void keepingSocketWorkersLeavesThemServingAndStopsTheOthers() throws Exception {
        inALongHome();
        int port = freePort();
        f.start(SupervisorFixture.spec("sock").port(port).listen(Listen.SOCKET).instances(2).build());
        f.start(SupervisorFixture.spec("svc").ready(new Readiness.Notify()).build());
        f.host.advance(1_000);
        var kept = f.host.alive("sock");
        var dir = f.on(() -> f.sup.registry().notifyDir());
        shutdown(true);
        assertTrue(kept.stream().allMatch(p -> p.alive() && p.signals.isEmpty()), "the next daemon takes them over");
        assertTrue(f.host.alive("svc").isEmpty());
        assertTrue(Files.isDirectory(dir), "a kept worker's NOTIFY_SOCKET stays where it is");
        f.on(() -> { f.sup.registry().removeNotifyDir(); return null; }); // what a later daemon's stop does
        assertTrue(f.store.workers().stream().anyMatch(w -> w.app().equals("sock") && w.pid() == kept.getFirst().pid),
                "their records stay, for the next daemon to find");
    }

    @Test
    void onceSocketWorkersWereKeptALaterShutdownKeepsThemToo() throws IOException {
        int port = freePort();
        f.start(SupervisorFixture.spec("sock").port(port).listen(Listen.SOCKET).build());
        f.host.advance(1_000);
        shutdown(true);
        shutdown(false); // the daemon's exit path
        assertEquals(1, f.host.alive("sock").size());
    }
}
