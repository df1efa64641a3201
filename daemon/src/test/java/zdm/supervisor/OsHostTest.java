package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.net.FreePorts;
import zdm.proc.ProcessIdentity;
import zdm.proc.ResourceSampler;
import zdm.proc.Signal;
import zdm.test.Await;

/**
 * The real {@link Host}: real processes stopped by signal (SIGKILL after the timeout), probes of real ports and HTTP
 * servers, the files a worker's preload writes, the resident size of a real process, and timers on the loop.
 */
class OsHostTest {
    @TempDir Path dir;
    private final SupervisionLoop loop = new SupervisionLoop();
    private final OsHost host = new OsHost(loop, new ResourceSampler());
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void end() {
        started.forEach(Process::destroyForcibly);
        loop.close();
    }

    private ProcessIdentity running(String script) throws Exception {
        var p = new ProcessBuilder("sh", "-c", script).start();
        started.add(p);
        assertEquals("up", p.inputReader().readLine());
        return ProcessIdentity.of(p.pid()).orElseThrow();
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void terminateStopsAProcessWithItsSignal() throws Exception {
        var p = running("trap 'exit 0' INT; echo up; while :; do sleep 0.05; done");
        var outcome = get(host.terminate(p, Signal.SIGINT, Duration.ofSeconds(20)));
        assertFalse(outcome.escalatedToKill());
        assertFalse(p.isAlive());
    }

    @Test
    void terminateEscalatesToSigkillAfterTheTimeout() throws Exception {
        var p = running("trap '' TERM; echo up; while :; do sleep 0.05; done");
        var outcome = get(host.terminate(p, Signal.SIGTERM, Duration.ofMillis(300)));
        assertTrue(outcome.escalatedToKill());
        assertTrue(outcome.took().toMillis() >= 300, outcome.took().toString());
        assertFalse(p.isAlive());
    }

    @Test
    void aTcpProbeSucceedsOnlyWhereSomethingListens() throws Exception {
        try (var server = new ServerSocket(0)) {
            assertTrue(get(host.probe(new Host.Probe.Tcp(server.getLocalPort()))));
        }
        assertFalse(get(host.probe(new Host.Probe.Tcp(FreePorts.reserve()))));
    }

    @Test
    void httpProbesTellA2xxFromAnyAnswerFromNone() throws Exception {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ok", x -> { x.sendResponseHeaders(204, -1); x.close(); });
        server.createContext("/broken", x -> { x.sendResponseHeaders(500, -1); x.close(); });
        server.start();
        try {
            int port = server.getAddress().getPort();
            assertTrue(get(host.probe(new Host.Probe.HttpOk(port, "/ok"))));
            assertFalse(get(host.probe(new Host.Probe.HttpOk(port, "/broken"))), "ready: http needs a 2xx");
            assertTrue(get(host.probe(new Host.Probe.HttpAnswers(port, "/broken", Duration.ofSeconds(5)))), "liveness: any answer");
        } finally {
            server.stop(0);
        }
        int closed = FreePorts.reserve();
        assertFalse(get(host.probe(new Host.Probe.HttpOk(closed, "/ok"))));
        assertFalse(get(host.probe(new Host.Probe.HttpAnswers(closed, "/", Duration.ofSeconds(1)))));
    }

    @Test
    void aReadyFileCountsOnceAndIsConsumed() throws Exception {
        var file = dir.resolve("1-1.ready");
        assertFalse(get(host.probe(new Host.Probe.ReadyFile(file))));
        Files.createFile(file);
        assertTrue(get(host.probe(new Host.Probe.ReadyFile(file))));
        assertFalse(Files.exists(file));
        assertFalse(get(host.probe(new Host.Probe.ReadyFile(file))), "consumed");
    }

    @Test
    void takeReadsTheListenRequestOnceAndNothingBeforeItIsWritten() throws Exception {
        var file = dir.resolve("1-1.listen");
        assertNull(get(host.take(file)));
        Files.writeString(file, "3000 127.0.0.1");
        assertEquals("3000 127.0.0.1", get(host.take(file)));
        assertFalse(Files.exists(file));
        assertNull(get(host.take(file)));
    }

    @Test
    void theResidentSizeOfALiveTreeAndNoneOfAMissingProcess() throws Exception {
        assertTrue(get(host.treeRssBytes(ProcessHandle.current().pid())) > 1 << 20);
        assertEquals(-1L, get(host.treeRssBytes(999_999_999L)));
    }

    @Test
    void clocksAndTimers() throws Exception {
        long wall = host.wallMs();
        assertTrue(Math.abs(wall - System.currentTimeMillis()) < 5_000);
        long before = host.nowMs();
        var ran = new CompletableFuture<Long>();
        host.schedule(Duration.ofMillis(100), () -> ran.complete(loop.onLoop() ? host.nowMs() : -1));
        long at = get(ran);
        assertTrue(at >= before + 100, "ran on the loop after the delay: " + (at - before));
        Await.until(Duration.ofSeconds(5), () -> host.nowMs() >= at, "monotonic");
    }
}
