package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.config.AppSpecBuilder;
import zdm.config.Listen;
import zdm.config.Readiness;
import zdm.net.FreePorts;
import zdm.net.ListenAddress;
import zdm.proc.Signal;

/**
 * pm2's cluster mode for a Node app without {@code port:}: the first worker's {@code listen()} tells the daemon the
 * port (through its preload's request file, polled every 25 ms during listen_timeout, then once a second); the daemon
 * binds it once, remembers it for the next start, and starts every worker again on that socket. A worker that asks
 * for another port while others serve on the app's socket is refused. The bound socket is real; the workers are fake.
 */
class PortLearningTest extends FixtureTest {
    private static AppSpecBuilder node(String name) {
        return SupervisorFixture.spec(name).listen(Listen.SOCKET).ready(new Readiness.Uptime()); // no port: it is learned
    }

    private static boolean accepts(int port) {
        try (var s = new Socket("127.0.0.1", port)) {
            return s.isConnected();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void theFirstListenBindsThePortOnceAndEveryWorkerStartsAgainOnIt() throws Exception {
        int port = FreePorts.reserve();
        f.start(node("api").instances(2).build());
        var first = f.host.alive("api");
        assertEquals(2, first.size());
        first.getFirst().listenRequest = Integer.toString(port);
        f.host.advance(25);
        assertTrue(f.hasEvent("api", "port-learned: the app listens on " + port
                + "; the daemon bound it once, every worker shares it (remembered for the next start)"), f.events("api").toString());
        assertTrue(accepts(port), "the daemon holds the socket");
        assertTrue(first.stream().noneMatch(FakeHost.Proc::alive), "neither could listen: both start again");
        assertTrue(first.stream().allMatch(p -> p.signals.equals(List.of(Signal.SIGTERM))));
        assertTrue(f.hasEvent("api", "relaunched: pid " + first.getFirst().pid + " signal SIGTERM; started again on the shared socket of port " + port),
                f.events("api").toString());
        var again = f.host.alive("api");
        assertEquals(2, again.size());
        assertTrue(again.stream().noneMatch(first::contains));
        f.host.advance(1_000);
        assertEquals(List.of("online", "online"), f.states("api"));
        assertEquals(port, f.view("api").port(), "ls shows the learned port");
        assertEquals(new ListenAddress(port, null), zdm.test.Await.value(java.time.Duration.ofSeconds(10),
                () -> f.store.rememberedPort("api").orElse(null), "the remembered port"));

        // a relaunched worker's own listen() on the same port is the socket it has: nothing more happens
        again.getFirst().listenRequest = Integer.toString(port);
        f.host.advance(1_000);
        assertTrue(again.stream().allMatch(FakeHost.Proc::alive), f.events("api").toString());
    }

    @Test
    void theRequestIsPolledEvery25MsDuringListenTimeoutThenOnceASecond() throws Exception {
        int port = FreePorts.reserve();
        f.start(node("api").listenTimeoutMs(1_000).build());
        var worker = f.host.newest("api", 0);
        f.host.advance(2_500);
        assertEquals(List.of("online"), f.states("api"), "a worker that never listens is ready after min_uptime (a queue consumer)");
        worker.listenRequest = Integer.toString(port);
        f.host.advance(400);
        assertTrue(worker.alive(), "past listen_timeout: not within 400 ms");
        f.host.advance(100);
        assertFalse(worker.alive(), "at the next second's poll: " + f.events("api"));

        f.onLoop(() -> f.sup.registry().apps().get("api").stop(false));
        f.host.advance(100);
        f.start(node("web").listenTimeoutMs(60_000).build());
        var quick = f.host.newest("web", 0);
        f.host.advance(100);
        quick.listenRequest = Integer.toString(FreePorts.reserve());
        f.host.advance(25);
        assertFalse(quick.alive(), "within listen_timeout: at the next 25 ms poll");
    }

    @Test
    void anotherPortWhileWorkersServeOnTheAppsSocketIsRefused() throws Exception {
        int port = FreePorts.reserve();
        f.start(node("api").instances(2).build());
        f.host.newest("api", 0).listenRequest = Integer.toString(port);
        f.host.advance(25);
        f.host.advance(1_000);
        assertEquals(List.of("online", "online"), f.states("api"));
        var online = f.host.newest("api", 1);
        int other = FreePorts.reserve();
        online.listenRequest = Integer.toString(other);
        f.host.advance(1_000);
        assertTrue(f.hasEvent("api", "listen-refused: listens on " + other + ", but worker 0 serves on the app's " + port
                + "; restart the app to move it ('zdm restart api')"), f.events("api").toString());
        assertTrue(f.logs.tail("api", 50).stream().anyMatch(e -> e.line().endsWith("worker 1 listens on " + other + ", but worker 0 serves on"
                + " the app's " + port + "; restart the app to move it ('zdm restart api')")), "said in the app's own log too");
        assertTrue(online.alive(), "an online worker that is refused keeps serving");
        assertFalse(accepts(other));
    }

    @Test
    void aStartingWorkerWhoseRequestCannotBeBoundFailsItsStart() throws Exception {
        f.start(node("api").build());
        var worker = f.host.newest("api", 0);
        worker.listenRequest = "localhost-ish";
        f.host.advance(25);
        assertTrue(f.hasEvent("api", "not-ready: listens on 'localhost-ish', which zdm cannot bind (not a port: localhost-ish); sending SIGTERM,"
                + " SIGKILL after kill_timeout 5000 ms"),
                f.events("api").toString());
        assertFalse(worker.alive());
        assertEquals(List.of("waiting-restart"), f.states("api"), "a failed start: restarted with backoff");
    }

    @Test
    void aPortTakenByAnotherProgramFailsTheStartWithTheReason() throws Exception {
        try (var squatter = new ServerSocket(FreePorts.reserve())) {
            f.start(node("api").build());
            var worker = f.host.newest("api", 0);
            worker.listenRequest = Integer.toString(squatter.getLocalPort());
            f.host.advance(25);
            assertTrue(f.events("api").stream().anyMatch(e -> e.startsWith("not-ready: ") && e.contains(Integer.toString(squatter.getLocalPort()))),
                    f.events("api").toString());
            assertFalse(f.hasEvent("api", "port-learned"), f.events("api").toString());
        }
    }

    @Test
    void aReloadsReplacementThatListensElsewhereIsRefusedAndTheOldWorkersStay() throws Exception {
        int port = FreePorts.reserve();
        f.start(node("api").build());
        f.host.newest("api", 0).listenRequest = Integer.toString(port);
        f.host.advance(25);
        f.host.advance(1_000);
        var serving = f.host.newest("api", 0);
        var outcome = f.reload("api");
        var candidate = f.host.newest("api", 0);
        assertTrue(candidate != serving);
        int other = FreePorts.reserve();
        candidate.listenRequest = Integer.toString(other);
        f.host.advance(25);
        assertTrue(f.hasEvent("api", "not-ready: listens on " + other + ", not on the app's " + port
                + "; restart the app to move it ('zdm restart api'); sending SIGTERM, SIGKILL after kill_timeout 5000 ms"),
                f.events("api").toString());
        f.host.advance(1_000);
        assertFalse(outcome.get().ok(), String.valueOf(outcome.get()));
        assertTrue(serving.alive(), "the old worker keeps serving");
    }

    @Test
    void aWorkerThatExitsBeforeItListensIsPolledNoMore() {
        f.start(node("api").autorestart(false).build());
        f.host.advance(100);
        assertTrue(f.host.takes.size() >= 2, "polled every 25 ms: " + f.host.takes.size());
        f.host.newest("api", 0).exits(0);
        int polled = f.host.takes.size();
        f.host.advance(10_000);
        assertEquals(polled, f.host.takes.size(), "its request file is not looked for after its exit");
    }
}
