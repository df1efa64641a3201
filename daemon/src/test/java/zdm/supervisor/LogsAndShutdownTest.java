package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import zdm.config.Listen;
import zdm.config.Readiness;
import zdm.net.FreePorts;
import zdm.proc.Signal;
import zdm.protocol.ErrorKind;
import zdm.protocol.Response;

/**
 * {@code zdm flush} empties an app's log files and records who asked; the daemon's shutdown stops every worker but
 * keeps each app's desired state for the next daemon, and with {@code --keep-workers} leaves socket-mode workers
 * serving (for good: the exit path's second shutdown keeps them too).
 */
class LogsAndShutdownTest extends RequestTest {
    @Test
    void flushEmptiesTheLogFilesAndRecordsTheUidThatAsked() throws Exception {
        f.start(SupervisorFixture.spec("web").build());
        f.host.newest("web", 0).prints(false, "GET / 200");
        f.host.newest("web", 0).prints(true, "warning: slow");
        var out = home.resolve("logs").resolve("web.out.log");
        var err = home.resolve("logs").resolve("web.err.log");
        zdm.test.Await.until(java.time.Duration.ofSeconds(10), () -> size(out) > 0 && size(err) > 0, "the lines are written");
        var answer = assertInstanceOf(Response.Done.class, askNow(s -> s.flush("web", UID)));
        assertEquals("flushed the logs of web", answer.message());
        assertEquals(0, Files.size(out));
        assertEquals(0, Files.size(err));
        assertTrue(f.store.events("web", 50).stream().anyMatch(e -> e.kind().equals("flushed") && Integer.valueOf(UID).equals(e.uid())),
                f.events("web").toString());
    }

    @Test
    void flushOfAllWithoutAppsAndOfAnUnknownApp() {
        assertEquals("no apps to flush", message(askNow(s -> s.flush("all", UID))));
        failed(askNow(s -> s.flush("web", UID)), ErrorKind.NOT_FOUND);
        f.start(SupervisorFixture.spec("web").build());
        f.start(SupervisorFixture.spec("api").build());
        var names = message(askNow(s -> s.flush("all", UID)));
        assertTrue(names.equals("flushed the logs of web, api") || names.equals("flushed the logs of api, web"), names);
    }

    private void shutdown(boolean keepSocketWorkers) throws Exception {
        CompletableFuture.runAsync(() -> f.sup.shutdown(keepSocketWorkers)).get(60, TimeUnit.SECONDS);
        f.host.settle();
    }

    @Test
    void shutdownStopsEveryWorkerAndKeepsTheAppsWantedForTheNextDaemon() throws Exception {
        f.start(SupervisorFixture.spec("web").instances(2).stopSignal(Signal.SIGINT).build());
        f.host.advance(1_000);
        var workers = f.host.alive("web");
        shutdown(false);
        assertTrue(workers.stream().noneMatch(FakeHost.Proc::alive));
        assertEquals(List.of(Signal.SIGINT), workers.getFirst().signals);
        assertEquals(List.of("stopped", "stopped"), f.states("web"));
        assertTrue(storedRunning("web"), "the next daemon starts it again");
        assertTrue(f.on(() -> f.sup.registry().apps().get("web").desiredRunning()));
    }

    @Test
    void shutdownWaitsForAWorkerThatTakesItsKillTimeout() throws Exception {
        f.start(SupervisorFixture.spec("web").killTimeoutMs(3_000).build());
        f.host.advance(1_000);
        var stubborn = f.host.newest("web", 0);
        stubborn.ignoresStopSignal = true;
        var done = CompletableFuture.runAsync(() -> f.sup.shutdown());
        Thread.sleep(200);
        assertFalse(done.isDone(), "not before the worker is gone");
        f.host.advance(3_000);
        done.get(60, TimeUnit.SECONDS);
        assertEquals(List.of(Signal.SIGTERM, Signal.SIGKILL), stubborn.signals);
    }

    @Test
    void keepWorkersLeavesSocketModeWorkersServingEvenThroughALaterShutdown() throws Exception {
        int port = FreePorts.reserve();
        f.start(SupervisorFixture.spec("sock").port(port).listen(Listen.SOCKET).ready(new Readiness.Uptime()).build());
        f.start(SupervisorFixture.spec("plain").build());
        f.host.advance(1_000);
        var sockWorker = f.host.newest("sock", 0);
        var plainWorker = f.host.newest("plain", 0);
        shutdown(true);
        assertTrue(sockWorker.alive(), "left serving for the next daemon");
        assertTrue(sockWorker.signals.isEmpty());
        assertFalse(plainWorker.alive());
        shutdown(false); // the daemon's exit path
        assertTrue(sockWorker.alive(), "once kept, kept");
        assertTrue(sockWorker.signals.isEmpty());
    }

    private static long size(java.nio.file.Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
