package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import zdm.net.FreePorts;

/**
 * An app's public port ({@link AppPort}) and the proxy's rotation as the supervisor sets them, seen from outside: requests go through the
 * app's real port to fake workers that really listen ({@link ProxiedWorkers}), so where a request lands says which
 * workers the rotation holds. Processes and time stay fake.
 */
class AppPortTest extends FixtureTest {
    private final ProxiedWorkers workers = new ProxiedWorkers(() -> f);

    @AfterEach
    void closePorts() {
        workers.close();
    }

    /** Starts two workers, w0 and w1, that really listen, and lets them go online. */
    private void twoOnline() throws IOException {
        workers.listening("w0");
        workers.listening("w1");
        f.start(workers.web(2).build());
        f.host.advance(1_000);
        assertEquals(List.of("online", "online"), f.states("web"));
    }

    @Test
    void eachOnlineWorkerGetsRequests() throws IOException {
        twoOnline();
        assertEquals(Set.of("w0", "w1"), workers.answerers(6));
    }

    @Test
    void aWorkerThatAnnouncedItsStopGetsNoNewRequests() throws IOException {
        twoOnline();
        f.onLoop(() -> {
            var app = f.sup.registry().apps().get("web");
            var w = app.serving(0);
            NotifyWatch.apply(app, w, w.generation(), w.state().pid(), NotifyMessage.parse("STOPPING=1"));
        });
        assertEquals(Set.of("w1"), workers.answerers(4), "w0 sent STOPPING=1: it serves what it has, nothing new");
    }

    @Test
    void aReloadsCandidateServesBesideTheOldWorkerInItsWindowThenAlone() throws IOException {
        workers.listening("old");
        workers.listening("new");
        f.start(workers.web(1).minReadyMs(10_000L).build());
        f.host.advance(1_000);
        f.reload("web");
        f.host.advance(1_000);
        assertTrue(f.hasEvent("web", "online"), f.events("web").toString());
        assertEquals(Set.of("old", "new"), workers.answerers(6), "the candidate is ready, in its stability window: both serve");
        f.host.advance(10_000);
        assertTrue(f.hasEvent("web", "replaced"), f.events("web").toString());
        assertEquals(Set.of("new"), workers.answerers(4), "the old worker drains: no new requests");
    }

    @Test
    void aDrainingWorkerWaitsForItsOwnConnectionsOnlyNotForTheOtherWorkers() throws Exception {
        var first = workers.listening("w0");
        workers.listening("w1");
        f.start(workers.web(1).killTimeoutMs(5_000).build());
        f.host.advance(1_000);
        first.hold = new CountDownLatch(1);
        var held = CompletableFuture.supplyAsync(workers::request);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        workers.awaitHeld(first, deadline);
        f.onLoop(() -> f.sup.registry().apps().get("web").scale(2));
        f.host.advance(1_000);
        assertEquals(List.of("online", "online"), f.states("web"));
        var second = f.host.newest("web", 1);
        f.onLoop(() -> f.sup.registry().apps().get("web").scale(1));
        // w1 has no connection of its own: its drain ends at once, without the clock moving, though w0 holds one.
        String drained = "drained: pid " + second.pid + " drained 0 connection(s) in 0 ms";
        while (!f.hasEvent("web", drained) && System.nanoTime() < deadline) Thread.sleep(10);
        assertTrue(f.hasEvent("web", drained), f.events("web").toString());
        first.hold.countDown();
        assertEquals("w0", held.get(20, TimeUnit.SECONDS));
    }

    @Test
    void aRunningAppMovedToAnotherPortServesThereAtOnceAndLetsTheOldPortGo() throws IOException {
        workers.listening("w0");
        workers.listening("candidate"); // the reload that the changed file begins: it stays starting (it never listens)
        var spec = workers.web(1).build();
        f.start(spec);
        f.host.advance(1_000);
        int before = workers.port;
        f.host.listenAtOnce = false;
        workers.port = FreePorts.reserve();
        f.start(spec.toBuilder().port(workers.port).listenTimeoutMs(60_000).build());
        assertTrue(RequestTest.portIsFree(before), "the old port is let go");
        assertEquals(Set.of("w0"), workers.answerers(2), "the new port has the online worker in its rotation at once");
    }

    @Test
    void aStoppedAppKeepsItsPortUntilItsWorkersAreGoneSoARequestInFlightIsAnswered() throws Exception {
        var w0 = workers.listening("w0");
        f.start(workers.web(1).killTimeoutMs(5_000).build());
        f.host.advance(1_000);
        w0.hold = new CountDownLatch(1);
        var held = CompletableFuture.supplyAsync(workers::request);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        workers.awaitHeld(w0, deadline);
        f.onLoop(() -> f.sup.registry().apps().get("web").stop(false));
        assertEquals(List.of("draining"), f.states("web"), "it waits for the request it serves: " + f.events("web"));
        assertTrue(!RequestTest.portIsFree(workers.port), "the port stays open while the worker drains");
        w0.hold.countDown();
        assertEquals("w0", held.get(20, TimeUnit.SECONDS), "the request in flight is answered");
        while (!RequestTest.portIsFree(workers.port) && System.nanoTime() < deadline) Thread.sleep(10);
        assertTrue(RequestTest.portIsFree(workers.port), "then the stopped app lets its port go");
    }

    @Test
    void anUnresponsiveWorkerLeavesTheRotationBeforeItsExitIsSeen() throws IOException {
        workers.listening("w0");
        workers.listening("w1");
        f.start(workers.web(2).livenessIntervalMs(1_000).livenessTimeoutMs(500).livenessFailures(1).build());
        f.host.advance(1_000);
        var hung = f.host.newest("web", 0);
        hung.listening = false; // the fake probe's verdict: no answer
        hung.outlivesKill = true;
        f.host.advance(1_000);
        assertEquals(List.of(zdm.proc.Signal.SIGKILL), hung.signals, f.events("web").toString());
        assertTrue(hung.alive());
        assertEquals(Set.of("w1"), workers.answerers(4), "killed, not yet gone: no new requests");
        hung.exits(137);
    }

    @Test
    void anAppStoppedWhileNoWorkerRanLetsItsPortGoAtOnce() throws IOException {
        f.start(workers.web(1).build());
        f.host.advance(1_000);
        f.host.newest("web", 0).exits(1);
        assertEquals(List.of("waiting-restart"), f.states("web"));
        f.onLoop(() -> f.sup.registry().apps().get("web").stop(false));
        assertEquals(List.of("stopped"), f.states("web"));
        assertTrue(RequestTest.portIsFree(workers.port), "no exit is to come: the port goes with the stop");
    }
}
