package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import zdm.proc.Signal;

/**
 * The daemon's stop never leaves a worker behind: once its bound (the longest kill_timeout and 10 s)
 * passes with a worker still running, because its stop ran late (a loaded machine, a thousand tree
 * walks), that worker's tree gets SIGKILL before the daemon exits. Here the fake clock never moves,
 * so the worker's own SIGKILL timer never fires and only the bound, in real time (~10 s), ends it.
 */
class ShutdownStragglersTest extends RequestTest {

    @Test
    void aWorkerStillRunningWhenTheBoundPassesGetsSigkillBeforeTheDaemonGoes() throws Exception {
        f.start(SupervisorFixture.spec("web").killTimeoutMs(100).build());
        f.start(SupervisorFixture.spec("calm").killTimeoutMs(100).build());
        f.host.advance(1_000);
        var late = f.host.newest("web", 0);
        late.ignoresStopSignal = true;
        var calm = f.host.newest("calm", 0);
        try (var daemonLog = new DaemonLogCapture()) {
            CompletableFuture.runAsync(() -> f.sup.shutdown()).get(60, TimeUnit.SECONDS);
            assertFalse(late.alive(), "ended before the daemon's stop returned");
            assertEquals(List.of(Signal.SIGTERM, Signal.SIGKILL), late.signals);
            assertTrue(f.host.terminations.contains(new FakeHost.Termination(late.pid, Signal.SIGKILL, Duration.ZERO)),
                    f.host.terminations.toString());
            assertEquals(List.of(Signal.SIGTERM), calm.signals, "a worker that stopped in time gets no second signal");
            assertTrue(daemonLog.lines().stream().anyMatch(l -> l.startsWith("WARN 1 worker(s) still running 10100 ms after")),
                    daemonLog.lines().toString());
        }
    }
}
