package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import zdm.proc.Signal;
import zdm.store.WorkerRecord;
import zdm.test.Await;

/**
 * How a worker leaves ({@link StopSequence}), step by step on the fake clock: out of the rotation while its connections
 * finish (through the app's real port to fake workers that really listen, {@link ProxiedWorkers}), the stop signal when
 * the last one closes or kill_timeout passes, SIGKILL after another kill_timeout; what the store records at each step;
 * and a slot without a process (waiting to restart, errored, stopped), stopped or scaled away at once.
 */
class StopSequenceTest extends FixtureTest {
    private final ProxiedWorkers workers = new ProxiedWorkers(() -> f);

    @AfterEach
    void closePorts() {
        workers.close();
    }

    /** The app, from the loop (a command's caller is on it). */
    private App web() {
        return f.sup.registry().apps().get("web");
    }

    /** The store's record of web[id] once it is in {@code state} (the writes are queued off the loop). */
    private WorkerRecord recorded(int id, String state) {
        return Await.value(Duration.ofSeconds(10), () -> f.store.workers().stream().filter(w -> w.id() == id).findFirst().orElse(null),
                r -> r != null && r.state().equals(state), "the record of web[" + id + "] " + state);
    }

    @Test
    void aDrainThatOutlastsKillTimeoutEndsWithTheStopSignalAndSaysHowManyConnectionsWereStillOpen() throws Exception {
        var w0 = workers.listening("w0");
        f.start(workers.web(1).killTimeoutMs(5_000).build());
        f.host.advance(1_000);
        var p = f.host.newest("web", 0);
        w0.hold = new CountDownLatch(1);
        CompletableFuture.supplyAsync(workers::request);
        workers.awaitHeld(w0, System.nanoTime() + TimeUnit.SECONDS.toNanos(20));
        try {
            f.onLoop(() -> web().stop(false));
            assertEquals(List.of("draining"), f.states("web"));
            recorded(0, "draining");
            f.host.advance(4_999);
            assertEquals(List.of("draining"), f.states("web"), "kill_timeout has not passed: " + f.events("web"));
            assertEquals(List.of(), p.signals);
            f.host.advance(1);
            assertTrue(f.hasEvent("web", "drained: pid " + p.pid + " kill_timeout (5000 ms) passed with 1 connection(s) still open"),
                    f.events("web").toString());
            assertEquals(List.of(Signal.SIGTERM), p.signals);
            assertEquals(List.of("stopped"), f.states("web"));
        } finally {
            w0.hold.countDown();
        }
    }

    @Test
    void aScaledAwayWorkerLeavesTheRotationAsItsDrainBegins() throws Exception {
        workers.listening("w0");
        var w1 = workers.listening("w1");
        f.start(workers.web(2).killTimeoutMs(5_000).build());
        f.host.advance(1_000);
        assertEquals(List.of("online", "online"), f.states("web"));
        w1.hold = new CountDownLatch(1);
        // Requests one at a time until one is held by w1 (the proxy takes its backends in turn: the second at the latest).
        var sent = new ArrayList<CompletableFuture<String>>();
        while (w1.received.get() == 0 && sent.size() < 4) {
            var r = CompletableFuture.supplyAsync(workers::request);
            sent.add(r);
            Await.until(Duration.ofSeconds(10), () -> r.isDone() || w1.received.get() == 1, "an answer from w0 or a request held by w1");
        }
        try {
            workers.awaitHeld(w1, System.nanoTime() + TimeUnit.SECONDS.toNanos(20));
            f.onLoop(() -> web().scale(1));
            assertEquals(List.of("online", "draining"), f.states("web"), "w1 waits for the request it holds");
            assertEquals(Set.of("w0"), workers.answerers(4), "no new request reaches the draining worker");
            assertEquals(1, w1.received.get());
        } finally {
            w1.hold.countDown();
        }
        Await.until(Duration.ofSeconds(10), () -> f.states("web").equals(List.of("online")), () -> "w1 drained and gone: " + f.events("web"));
    }

    @Test
    void aWorkerThatIgnoresItsStopSignalIsRecordedStoppingUntilItIsKilled() {
        f.start(SupervisorFixture.spec("web").killTimeoutMs(5_000).build());
        f.host.advance(1_000);
        var p = f.host.newest("web", 0);
        p.ignoresStopSignal = true;
        f.onLoop(() -> web().stop(false));
        assertEquals(List.of("stopping"), f.states("web"));
        recorded(0, "stopping");
        f.host.advance(5_000);
        assertEquals(List.of(Signal.SIGTERM, Signal.SIGKILL), p.signals);
        assertTrue(f.hasEvent("web", "killed: pid " + p.pid + " ignored SIGTERM for kill_timeout 5000 ms; sent SIGKILL to its process tree"),
                f.events("web").toString());
        assertEquals(List.of("stopped"), f.states("web"));
        recorded(0, "stopped");
    }

    @Test
    void aWorkerWaitingToRestartIsStoppedAtOnceAndRecordedStopped() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        f.host.newest("web", 0).exits(1);
        assertEquals(List.of("waiting-restart"), f.states("web"));
        recorded(0, "waiting-restart");
        f.onLoop(() -> web().stop(false));
        assertEquals(List.of("stopped"), f.states("web"));
        recorded(0, "stopped");
        f.host.advance(60_000);
        assertEquals(List.of("stopped"), f.states("web"), "its backoff's timer finds it stopped: " + f.events("web"));
    }

    @Test
    void anErroredWorkerIsStoppedByAStop() {
        f.start(SupervisorFixture.spec("web").maxRestarts(0).build());
        f.host.newest("web", 0).exits(1); // within min_uptime, no restarts allowed: errored
        assertEquals(List.of("errored"), f.states("web"));
        recorded(0, "errored");
        f.onLoop(() -> web().stop(false));
        assertEquals(List.of("stopped"), f.states("web"));
        recorded(0, "stopped");
    }

    @Test
    void aSlotWaitingToRestartThatIsScaledAwayGoesWithItsRecord() {
        f.start(SupervisorFixture.spec("web").instances(2).build());
        f.host.advance(1_000);
        f.host.newest("web", 1).exits(1);
        assertEquals(List.of("online", "waiting-restart"), f.states("web"));
        f.onLoop(() -> web().scale(1));
        assertEquals(List.of("online"), f.states("web"));
        Await.until(Duration.ofSeconds(10), () -> f.store.workers().size() == 1, () -> "web[1]'s record deleted: " + f.store.workers());
        f.host.advance(60_000);
        assertEquals(List.of("online"), f.states("web"), "its backoff's timer finds it gone: " + f.events("web"));
    }

    @Test
    void aStoppedAppScaledDownLosesTheHigherSlotsAndAStopOfAStoppedAppKeepsThem() {
        f.start(SupervisorFixture.spec("web").instances(2).build());
        f.host.advance(1_000);
        f.onLoop(() -> web().stop(false));
        assertEquals(List.of("stopped", "stopped"), f.states("web"));
        f.onLoop(() -> web().stop(false));
        assertEquals(List.of("stopped", "stopped"), f.states("web"), "stopping what is stopped changes nothing");
        f.onLoop(() -> web().scale(1));
        assertEquals(List.of("stopped"), f.states("web"));
        Await.until(Duration.ofSeconds(10), () -> f.store.workers().size() == 1, () -> "web[1]'s record deleted: " + f.store.workers());
    }

    @Test
    void aRestartWaitingOnlyForASlotInBackoffGoesOnWhenThatSlotIsScaledAway() {
        f.start(SupervisorFixture.spec("web").killTimeoutMs(5_000).build());
        f.host.advance(1_000);
        var old = f.host.newest("web", 0);
        old.ignoresStopSignal = true;
        f.onLoop(() -> web().restart()); // waits for the old worker to be gone
        f.host.spawnFailures.put("web", "no such program");
        f.onLoop(() -> web().scale(2)); // the new slot cannot start: backoff
        f.host.advance(5_000); // the old worker is killed; the restart now waits for the slot in backoff
        assertFalse(old.alive());
        assertEquals(List.of("stopped", "waiting-restart"), f.states("web"), f.events("web").toString());
        f.host.spawnFailures.remove("web");
        f.onLoop(() -> web().scale(1));
        f.host.advance(1_000);
        assertEquals(List.of("online"), f.states("web"), f.events("web").toString());
        assertTrue(f.on(() -> web().reload(null, o -> {}) == null), "the restart is over, a reload may begin");
    }
}
