package zdm.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zdm.test.Await;

/** The proxy's limits facing clients, its strict framing, and what it passes on from either side. */
@Timeout(60)
class ProxyLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration SHORT = Duration.ofSeconds(1);
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Duration GENEROUS = Duration.ofSeconds(15);

    private static PortListener listen(ProxyLimits limits) throws IOException {
        return PortListener.open("web", FreePorts.reserve(), WAIT, ProxyProtocol.HTTP, new Traffic(), limits);
    }

    private static ProxyLimits limits(Duration head, Duration keepAlive) {
        return new ProxyLimits(head, keepAlive, ProxyLimits.DEFAULTS.maxHeadBytes(), 100);
    }

    @Test
    void aHeadNotCompleteWithinTheHeadTimeoutGets408AndIsClosed() throws Exception {
        try (var a = new HttpTestBackend(1); var listener = listen(limits(SHORT, LONG));
                var slow = new HttpTestClient(listener.port()); var silent = new HttpTestClient(listener.port())) {
            listener.setBackends(List.of(a.backend()));
            long start = System.nanoTime();
            slow.send("GET /id HTTP/1.1\r\nHost: t\r\nX-Slow: ");

            assertEquals(408, slow.read("GET").status());
            assertTrue(slow.closedByServer());
            // The deadline runs from the accept, which came a little before start.
            assertTrue(System.nanoTime() - start >= SHORT.toNanos() - TimeUnit.MILLISECONDS.toNanos(200), "not before the head timeout");
            assertTrue(silent.closedByServer(), "a client that sends nothing is closed too");
            assertEquals(List.of(), a.heads, "nothing reached the worker");
        }
    }

    /** With protocol auto a silent client gets a worker connection kept aside; if neither side speaks, both close. */
    @Test
    void withAutoAClientAndAWorkerThatBothStaySilentAreClosedAtTheHeadTimeout() throws Exception {
        try (var a = new HttpTestBackend(1);
                var listener = PortListener.open("web", FreePorts.reserve(), WAIT, ProxyProtocol.AUTO, new Traffic(),
                        limits(Duration.ofSeconds(2), LONG));
                var silent = new HttpTestClient(listener.port())) {
            listener.setBackends(List.of(a.backend()));
            Await.until(GENEROUS, () -> listener.openConnections().containsKey(1), "the client's silence noticed");

            assertTrue(silent.closedByServer());
            Await.until(GENEROUS, () -> listener.openConnections().isEmpty(), "its worker connection is closed too");
            assertEquals(List.of(), a.heads, "nothing reached the worker");
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAtTheKeepAliveTimeoutAndItsWorkerConnectionToo() throws Exception {
        try (var a = new HttpTestBackend(1); var listener = listen(limits(LONG, SHORT));
                var client = new HttpTestClient(listener.port())) {
            listener.setBackends(List.of(a.backend()));
            assertEquals(200, client.get("/id").status());
            long idleFrom = System.nanoTime();

            assertTrue(client.closedByServer());
            assertTrue(System.nanoTime() - idleFrom >= SHORT.toNanos() - TimeUnit.MILLISECONDS.toNanos(50), "not before the timeout");
            Await.until(GENEROUS, () -> listener.openConnections().isEmpty(), "the worker connection closed");
        }
    }

    @Test
    void anIdleClientsWorkerConnectionIsClosedBeforeTheWorkersOwnTimeoutAndTheClientStaysServed() throws Exception {
        try (var a = new HttpTestBackend(1); var listener = listen(ProxyLimits.DEFAULTS);
                var client = new HttpTestClient(listener.port())) {
            listener.setBackends(List.of(a.backend()));
            // Taken before the request: the proxy parks the worker connection before the client has read the answer,
            // so a time taken after it may be later than the park by as long as a busy machine delays the client.
            long idleFrom = System.nanoTime();
            assertEquals(200, client.get("/id").status());

            Await.until(GENEROUS, () -> listener.openConnections().isEmpty(), "the idle worker connection closed");
            assertTrue(System.nanoTime() - idleFrom >= ConnectionClock.LINK_IDLE_NANOS, "not before it was idle for a while");
            assertEquals(200, client.get("/id").status());
            assertEquals(1, listener.acceptedTotal(), "on the same client connection");
            assertEquals(2, a.accepted(), "over a new worker connection");
        }
    }

    @Test
    void aKeepAliveConnectionInUseIsNotClosed() throws Exception {
        try (var a = new HttpTestBackend(1); var listener = listen(limits(SHORT, SHORT));
                var client = new HttpTestClient(listener.port())) {
            listener.setBackends(List.of(a.backend()));
            long end = System.nanoTime() + 3 * SHORT.toNanos();
            while (System.nanoTime() < end) assertEquals(200, client.get("/id").status());
        }
    }

    @Test
    void connectionsPastTheLimitWaitInTheKernelQueueUntilOneCloses() throws Exception {
        var two = new ProxyLimits(LONG, LONG, ProxyLimits.DEFAULTS.maxHeadBytes(), 2);
        try (var a = new HttpTestBackend(1); var listener = listen(two);
                var first = new HttpTestClient(listener.port()); var second = new HttpTestClient(listener.port())) {
            listener.setBackends(List.of(a.backend()));
            assertEquals(200, first.get("/id").status());
            assertEquals(200, second.get("/id").status());
            try (var third = new HttpTestClient(listener.port())) { // connected: the kernel queues it
                third.send("GET /id HTTP/1.1\r\nHost: t\r\n\r\n");
                Thread.sleep(300); // a negative: it can only pass wrongly, never fail wrongly
                assertEquals(2, listener.acceptedTotal(), "the third is not accepted while two are open");

                first.close();
                assertEquals(200, third.read("GET").status());
                assertEquals(3, listener.acceptedTotal());
            }
        }
    }

    @Test
    void aClientThatLeavesBeforeItsResponseClosesItsWorkerConnection() throws Exception {
        for (boolean halfClose : List.of(false, true)) {
            try (var a = new HttpTestBackend(1); var listener = listen(ProxyLimits.DEFAULTS);
                    var client = new HttpTestClient(listener.port())) {
                listener.setBackends(List.of(a.backend()));
                client.send("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n");
                Await.until(GENEROUS, () -> a.holding() == 1, "the worker holds the request");
                assertEquals(1, listener.openConnections().get(1));
                if (halfClose) client.shutdownOutput(); else client.close();

                Await.until(GENEROUS, () -> listener.openConnections().isEmpty(),
                        "the worker connection closed (half-close: " + halfClose + ")");
                a.release();
            }
        }
    }

    @Test
    void aWorkersConnectionCloseEndsTheClientConnectionAfterTheResponse() throws Exception {
        try (var a = new HttpTestBackend(1); var listener = listen(ProxyLimits.DEFAULTS);
                var client = new HttpTestClient(listener.port())) {
            listener.setBackends(List.of(a.backend()));
            var response = client.get("/close");

            assertEquals(200, response.status());
            assertEquals("close", response.headers().get("connection"));
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void framingThatNodeRefusesGets400FromTheProxy() throws Exception {
        String chunked = "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
        var bad = List.of(
                "GET /id HTTP/1.1\nHost: t\n\n", // LF-only head: never reaches the worker
                "GET /id HTTP/1.1\r\nHost: t\rX: y\r\n\r\n", // bare CR
                chunked + "zz\r\nhello\r\n0\r\n\r\n", // chunk size not hex
                chunked + "5 \r\nhello\r\n0\r\n\r\n", // space after the size
                chunked + "5\nhello\r\n0\r\n\r\n", // LF-only size line
                chunked + "5\r\nhelloX\n0\r\n\r\n", // 2 bytes that are not CRLF after the data
                chunked + "5\r\nhello\n0\r\n\r\n", // LF-only after the data
                chunked + "5\r\nhello\r\n0\r\nX\n", // 2 bytes that are not CRLF end the trailers
                chunked + "5\r\nhello\r\n0\r\nno colon\r\n\r\n"); // a trailer that is no field
        try (var a = new HttpTestBackend(1); var listener = listen(ProxyLimits.DEFAULTS)) {
            listener.setBackends(List.of(a.backend()));
            for (var request : bad) {
                try (var client = new HttpTestClient(listener.port())) {
                    client.send(request);
                    assertEquals(400, client.read("POST").status(), request);
                    assertTrue(client.closedByServer(), request);
                }
            }
            assertTrue(a.heads.stream().noneMatch(h -> h.startsWith("GET")), "bad heads never reached the worker");
        }
    }

    @Test
    void aHeadLargerThanTheLimitGets431() throws Exception {
        var small = new ProxyLimits(LONG, LONG, 2048, 100);
        try (var a = new HttpTestBackend(1); var listener = listen(small);
                var fits = new HttpTestClient(listener.port()); var tooLarge = new HttpTestClient(listener.port())) {
            listener.setBackends(List.of(a.backend()));
            fits.send("GET /id HTTP/1.1\r\nHost: t\r\nX-A: " + "a".repeat(1500) + "\r\n\r\n");
            tooLarge.send("GET /id HTTP/1.1\r\nHost: t\r\nX-A: " + "a".repeat(2500) + "\r\n\r\n");

            assertEquals(200, fits.read("GET").status());
            assertEquals(431, tooLarge.read("GET").status());
        }
    }

    @Test
    void aRequestBodyThatStopsArrivingGets408AtTheBodyTimeoutAndItsWorkerConnectionCloses() throws Exception {
        var limits = new ProxyLimits(LONG, LONG, ProxyLimits.DEFAULTS.maxHeadBytes(), 100, SHORT, 0);
        try (var a = new HttpTestBackend(1); var listener = listen(limits);
                var stalled = new HttpTestClient(listener.port()); var trickle = new HttpTestClient(listener.port())) {
            listener.setBackends(List.of(a.backend()));
            long start = System.nanoTime();
            stalled.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nhalf ");
            // A body that keeps arriving, slower than the timeout in total but never silent that long, is served.
            trickle.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\n");
            for (var piece : List.of("a", "b", "c", "d")) {
                Thread.sleep(SHORT.toMillis() / 2);
                trickle.send(piece);
            }

            assertEquals(408, stalled.read("POST").status());
            assertTrue(stalled.closedByServer());
            assertTrue(System.nanoTime() - start >= SHORT.toNanos(), "not before the body timeout");
            assertEquals(200, trickle.read("POST").status());
            Await.until(GENEROUS, () -> listener.openConnections().getOrDefault(1, 0) <= 1,
                    "the stalled request's worker connection closed");
        }
    }

    @Test
    void connectionsFromOneAddressPastItsLimitAreClosedAtOnceAndOthersStillServed() throws Exception {
        var limits = new ProxyLimits(LONG, LONG, ProxyLimits.DEFAULTS.maxHeadBytes(), 100, LONG, 2);
        try (var a = new HttpTestBackend(1); var listener = listen(limits);
                var first = new HttpTestClient(listener.port()); var second = new HttpTestClient(listener.port())) {
            listener.setBackends(List.of(a.backend()));
            assertEquals(200, first.get("/id").status());
            assertEquals(200, second.get("/id").status());
            try (var third = new HttpTestClient(listener.port())) {
                assertTrue(third.closedByServer(), "a third connection from 127.0.0.1 is closed");
            }
            first.close();
            Await.until(GENEROUS, () -> {
                try (var again = new HttpTestClient(listener.port())) {
                    return again.get("/id").status() == 200;
                } catch (IOException e) {
                    return false;
                }
            }, "once one closed, the address may connect again");
        }
    }
}
