package zdm.supervisor;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import zdm.config.AppSpecBuilder;
import zdm.net.FreePorts;

/**
 * An app's public port ({@link AppPort}) and the proxy's rotation as the supervisor sets them, seen from outside: requests go through the
 * app's real port to fake workers that really listen (a socket per process, answering with its name), so where a
 * request lands says which workers the rotation holds. Processes and time stay fake.
 */
class AppPortTest extends FixtureTest {
    private final List<Responder> responders = new ArrayList<>();
    private int port;

    @AfterEach
    void closePorts() {
        f.onLoop(() -> f.sup.registry().apps().values().forEach(App::closeListener));
        responders.forEach(Responder::close);
    }

    /** A fake worker's socket: answers each request with {@code name}, or holds it while {@link #hold} is set. */
    private static final class Responder implements AutoCloseable {
        final String name;
        final ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        /** Requests whose head arrived. */
        final AtomicInteger received = new AtomicInteger();
        volatile CountDownLatch hold;

        Responder(String name) throws IOException {
            this.name = name;
            Thread.ofPlatform().daemon().start(this::acceptAll);
        }

        private void acceptAll() {
            while (!server.isClosed()) {
                try {
                    var s = server.accept();
                    Thread.ofPlatform().daemon().start(() -> answer(s));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void answer(Socket s) {
            try (s) {
                readHead(s.getInputStream());
                received.incrementAndGet();
                var held = hold;
                if (held != null) held.await(30, TimeUnit.SECONDS);
                s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + name.length()
                        + "\r\nConnection: close\r\n\r\n" + name).getBytes(ISO_8859_1));
            } catch (IOException | InterruptedException e) {
                // the proxy went away: nothing to answer
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) return;
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
    }

    /** The next processes of the app listen on these, in order. */
    private Responder listening(String name) throws IOException {
        var r = new Responder(name);
        responders.add(r);
        f.host.privatePorts.add(r.server.getLocalPort());
        return r;
    }

    private AppSpecBuilder web(int instances) throws IOException {
        port = FreePorts.reserve();
        return SupervisorFixture.spec("web").port(port).instances(instances);
    }

    /** One request through the app's port: the name of the worker that answered, or what came instead. */
    private String request() {
        try (var s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".getBytes(ISO_8859_1));
            var text = new String(s.getInputStream().readAllBytes(), ISO_8859_1);
            int body = text.indexOf("\r\n\r\n");
            return text.startsWith("HTTP/1.1 200") && body >= 0 ? text.substring(body + 4) : "(answer: " + text.lines().findFirst().orElse("none") + ")";
        } catch (SocketTimeoutException e) {
            return "(no answer in 10 s)";
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    /** Waits until {@code r} holds one request and the proxy counts its one connection to the workers (what a drain waits for). */
    private void awaitHeld(Responder r, long deadline) throws InterruptedException {
        while ((r.received.get() != 1 || openConnections() != 1) && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(1, r.received.get(), "the held request reached " + r.name);
        assertEquals(1, openConnections(), "connections to the workers");
    }

    private int openConnections() {
        return f.on(() -> f.sup.registry().apps().get("web").listener().openConnections().values().stream()
                .mapToInt(Integer::intValue).sum());
    }

    /** Who answered {@code n} requests, one after another (the proxy takes its backends in turn); stops at a failed one. */
    private Set<String> answerers(int n) {
        var names = new TreeSet<String>();
        for (int i = 0; i < n; i++) {
            var who = request();
            names.add(who);
            if (who.startsWith("(")) break;
        }
        return names;
    }

    /** Starts two workers, w0 and w1, that really listen, and lets them go online. */
    private void twoOnline() throws IOException {
        listening("w0");
        listening("w1");
        f.start(web(2).build());
        f.host.advance(1_000);
        assertEquals(List.of("online", "online"), f.states("web"));
    }

    @Test
    void eachOnlineWorkerGetsRequests() throws IOException {
        twoOnline();
        assertEquals(Set.of("w0", "w1"), answerers(6));
    }

    @Test
    void aWorkerThatAnnouncedItsStopGetsNoNewRequests() throws IOException {
        twoOnline();
        f.onLoop(() -> {
            var app = f.sup.registry().apps().get("web");
            var w = app.serving(0);
            NotifyWatch.apply(app, w, w.generation(), w.state().pid(), NotifyMessage.parse("STOPPING=1"));
        });
        assertEquals(Set.of("w1"), answerers(4), "w0 sent STOPPING=1: it serves what it has, nothing new");
    }

    @Test
    void aReloadsCandidateServesBesideTheOldWorkerInItsWindowThenAlone() throws IOException {
        listening("old");
        listening("new");
        f.start(web(1).minReadyMs(10_000L).build());
        f.host.advance(1_000);
        f.reload("web");
        f.host.advance(1_000);
        assertTrue(f.hasEvent("web", "online"), f.events("web").toString());
        assertEquals(Set.of("old", "new"), answerers(6), "the candidate is ready, in its stability window: both serve");
        f.host.advance(10_000);
        assertTrue(f.hasEvent("web", "replaced"), f.events("web").toString());
        assertEquals(Set.of("new"), answerers(4), "the old worker drains: no new requests");
    }

    @Test
    void aDrainingWorkerWaitsForItsOwnConnectionsOnlyNotForTheOtherWorkers() throws Exception {
        var first = listening("w0");
        listening("w1");
        f.start(web(1).killTimeoutMs(5_000).build());
        f.host.advance(1_000);
        first.hold = new CountDownLatch(1);
        var held = CompletableFuture.supplyAsync(this::request);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        awaitHeld(first, deadline);
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
        listening("w0");
        listening("candidate"); // the reload that the changed file begins: it stays starting (it never listens)
        var spec = web(1).build();
        f.start(spec);
        f.host.advance(1_000);
        int before = port;
        f.host.listenAtOnce = false;
        port = FreePorts.reserve();
        f.start(spec.toBuilder().port(port).listenTimeoutMs(60_000).build());
        assertTrue(RequestTest.portIsFree(before), "the old port is let go");
        assertEquals(Set.of("w0"), answerers(2), "the new port has the online worker in its rotation at once");
    }

    @Test
    void aStoppedAppKeepsItsPortUntilItsWorkersAreGoneSoARequestInFlightIsAnswered() throws Exception {
        var w0 = listening("w0");
        f.start(web(1).killTimeoutMs(5_000).build());
        f.host.advance(1_000);
        w0.hold = new CountDownLatch(1);
        var held = CompletableFuture.supplyAsync(this::request);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        awaitHeld(w0, deadline);
        f.onLoop(() -> f.sup.registry().apps().get("web").stop(false));
        assertEquals(List.of("draining"), f.states("web"), "it waits for the request it serves: " + f.events("web"));
        assertTrue(!RequestTest.portIsFree(port), "the port stays open while the worker drains");
        w0.hold.countDown();
        assertEquals("w0", held.get(20, TimeUnit.SECONDS), "the request in flight is answered");
        while (!RequestTest.portIsFree(port) && System.nanoTime() < deadline) Thread.sleep(10);
        assertTrue(RequestTest.portIsFree(port), "then the stopped app lets its port go");
    }

    @Test
    void anUnresponsiveWorkerLeavesTheRotationBeforeItsExitIsSeen() throws IOException {
        listening("w0");
        listening("w1");
        f.start(web(2).livenessIntervalMs(1_000).livenessTimeoutMs(500).livenessFailures(1).build());
        f.host.advance(1_000);
        var hung = f.host.newest("web", 0);
        hung.listening = false; // the fake probe's verdict: no answer
        hung.outlivesKill = true;
        f.host.advance(1_000);
        assertEquals(List.of(zdm.proc.Signal.SIGKILL), hung.signals, f.events("web").toString());
        assertTrue(hung.alive());
        assertEquals(Set.of("w1"), answerers(4), "killed, not yet gone: no new requests");
        hung.exits(137);
    }

    @Test
    void anAppStoppedWhileNoWorkerRanLetsItsPortGoAtOnce() throws IOException {
        f.start(web(1).build());
        f.host.advance(1_000);
        f.host.newest("web", 0).exits(1);
        assertEquals(List.of("waiting-restart"), f.states("web"));
        f.onLoop(() -> f.sup.registry().apps().get("web").stop(false));
        assertEquals(List.of("stopped"), f.states("web"));
        assertTrue(RequestTest.portIsFree(port), "no exit is to come: the port goes with the stop");
    }
}
