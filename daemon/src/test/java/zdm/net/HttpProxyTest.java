package zdm.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zdm.test.Await;

@Timeout(30)
class HttpProxyTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private static PortListener listen(ProxyProtocol protocol) throws IOException {
        return PortListener.open("web", FreePorts.reserve(), WAIT, protocol);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void autoRelaysHttpAndTellsTheBackendWhoTheClientIs() throws Exception {
        try (var a = new HttpTestBackend(1); var listener = listen(ProxyProtocol.AUTO);
                var client = new HttpTestClient(listener.port())) {
            listener.setBackends(List.of(a.backend()));

            var plain = client.get("/id");
            client.send("GET /id HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Proto: https\r\n\r\n");
            var forwarded = client.read("GET");

            assertEquals(200, plain.status());
            assertEquals("worker 1", plain.text());
            assertEquals(200, forwarded.status());
            assertTrue(a.heads.get(0).contains("\r\nX-Forwarded-For: 127.0.0.1\r\nX-Forwarded-Proto: http"), a.heads.get(0));
            assertTrue(a.heads.get(1).contains("\r\nX-Forwarded-For: 10.0.0.1, 127.0.0.1\r\n"), a.heads.get(1));
            assertTrue(a.heads.get(1).contains("X-Forwarded-Proto: https"), a.heads.get(1));
            assertFalse(a.heads.get(1).contains("X-Forwarded-Proto: http\r"), a.heads.get(1));
            assertEquals(1, a.accepted(), "both requests on one backend connection");
        }
    }

    @Test
    void autoTunnelsNonHttpBytesUnchanged() throws Exception {
        var tlsLike = new byte[200_000];
        new Random(3).nextBytes(tlsLike);
        tlsLike[0] = 0x16;
        tlsLike[1] = 0x03;
        var http2Preface = ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\nrest");
        try (var echo = TestBackend.echo(1); var listener = listen(ProxyProtocol.AUTO)) {
            listener.setBackends(List.of(echo.backend()));

            assertArrayEquals(tlsLike, TestClient.exchange(listener.port(), tlsLike));
            assertArrayEquals(http2Preface, TestClient.exchange(listener.port(), http2Preface));
        }
    }

    @Test
    void autoTunnelsToAServerThatSpeaksFirstWhenTheClientIsSilent() throws Exception {
        try (var greeter = TestBackend.identifying(1); var listener = listen(ProxyProtocol.AUTO);
                var client = new TestClient(listener.port())) {
            listener.setBackends(List.of(greeter.backend()));

            assertEquals("worker 1", client.readLine());
            client.send("GET / HTTP/1.1\r\n"); // now in a tunnel: even HTTP bytes are echoed unchanged
            assertEquals("GET / HTTP/1.1\r", client.readLine());
        }
    }

    /**
     * An HTTP client silent past the sniffing (a browser's preconnect, or a client stalled on a busy machine) used to be
     * tunnelled to one worker: a reload then waited kill_timeout for it and the worker's stop cut its next request.
     */
    @Test
    void autoStillRoutesASilentHttpClientRequestByRequestAndItsDrainDoesNotWaitForIt() throws Exception {
        try (var a = new HttpTestBackend(1); var b = new HttpTestBackend(2); var listener = listen(ProxyProtocol.AUTO);
                var client = new HttpTestClient(listener.port())) {
            listener.setBackends(List.of(a.backend()));
            Await.until(DEADLINE, () -> listener.openConnections().containsKey(1), "the client's silence noticed");

            assertEquals("1", client.get("/id").worker());
            listener.setBackends(List.of(b.backend()));
            listener.whenIdle(1).get(2, TimeUnit.SECONDS);
            assertEquals("2", client.get("/id").worker(), "the next request goes to the worker in rotation");
        }
    }

    @Test
    void theWorkerConnectionKeptForASilentClientFollowsTheRotation() throws Exception {
        try (var a = new HttpTestBackend(1); var b = new HttpTestBackend(2); var listener = listen(ProxyProtocol.AUTO);
                var client = new HttpTestClient(listener.port())) {
            listener.setBackends(List.of(a.backend()));
            Await.until(DEADLINE, () -> listener.openConnections().containsKey(1), "the client's silence noticed");

            listener.setBackends(List.of(b.backend()));
            listener.whenIdle(1).get(2, TimeUnit.SECONDS);
            Await.until(DEADLINE, () -> listener.openConnections().containsKey(2), "a connection kept on worker 2 instead");
            assertEquals("2", client.get("/id").worker());
            assertEquals(List.of(), a.heads);
        }
    }

    @Test
    void aClientSilentAndThenSpeakingAnotherProtocolIsTunnelled() throws Exception {
        try (var echo = TestBackend.echo(1); var listener = listen(ProxyProtocol.AUTO);
                var client = new TestClient(listener.port())) {
            listener.setBackends(List.of(echo.backend()));
            Await.until(DEADLINE, () -> listener.openConnections().containsKey(1), "the client's silence noticed");

            client.send("HELO zdm.test\r\n");
            assertEquals("HELO zdm.test\r", client.readLine());
            client.send("GET / HTTP/1.1\r\n"); // a tunnel now: even HTTP bytes are echoed unchanged
            assertEquals("GET / HTTP/1.1\r", client.readLine());
        }
    }

    @Test
    void tcpProtocolTunnelsEvenHttp() throws Exception {
        var request = ascii("GET /id HTTP/1.1\r\nHost: t\r\n\r\n");
        try (var echo = TestBackend.echo(1); var listener = listen(ProxyProtocol.TCP)) {
            listener.setBackends(List.of(echo.backend()));

            assertArrayEquals(request, TestClient.exchange(listener.port(), request)); // no X-Forwarded-For added
        }
    }

    @Test
    void keepAliveClientMovesToTheNewWorkerAtTheNextRequest() throws Exception {
        try (var a = new HttpTestBackend(1); var b = new HttpTestBackend(2); var listener = listen(ProxyProtocol.HTTP);
                var client = new HttpTestClient(listener.port())) {
            listener.setBackends(List.of(a.backend()));
            for (int i = 0; i < 10; i++) {
                var response = client.get("/id");
                assertEquals(200, response.status());
                assertEquals("1", response.worker(), "request " + i);
            }
            assertEquals(1, listener.openConnections().get(1), "the idle keep-alive connection counts for worker 1");

            listener.setBackends(List.of(b.backend()));
            // Promptly: the idle backend connection is closed at once, not at the client's next request.
            listener.whenIdle(1).get(2, TimeUnit.SECONDS);
            assertNull(listener.openConnections().get(1));

            for (int i = 10; i < 20; i++) {
                var response = client.get("/id");
                assertEquals(200, response.status());
                assertEquals("2", response.worker(), "request " + i);
            }
            assertEquals(1, a.accepted());
            assertEquals(1, b.accepted());
            assertEquals(10, a.heads.size());
            assertEquals(1, listener.acceptedTotal(), "one client connection throughout");
        }
    }

    @Test
    void inFlightRequestFinishesOnTheWorkerThatLeftAndTheDrainWaitsForIt() throws Exception {
        try (var a = new HttpTestBackend(1); var b = new HttpTestBackend(2); var listener = listen(ProxyProtocol.HTTP);
                var client = new HttpTestClient(listener.port())) {
            listener.setBackends(List.of(a.backend()));
            client.send("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n");
            Await.until(DEADLINE, () -> a.holding() == 1, "worker 1 to receive the request");

            listener.setBackends(List.of(b.backend()));
            var drained = listener.whenIdle(1);
            assertFalse(drained.isDone(), "a request is in flight on worker 1");
            assertEquals(1, listener.openConnections().get(1));

            a.release();
            var response = client.read("GET");
            assertEquals(200, response.status());
            assertEquals("worker 1", response.text());
            drained.get(2, TimeUnit.SECONDS);

            assertEquals("2", client.get("/id").worker());
        }
    }

    @Test
    void chunkedBodiesOfSeveralMegabytesPassIntactBothWays() throws Exception {
        var upload = new byte[5 * 1024 * 1024 + 17];
        new Random(11).nextBytes(upload);
        try (var a = new HttpTestBackend(1); var listener = listen(ProxyProtocol.AUTO);
                var client = new HttpTestClient(listener.port())) {
            listener.setBackends(List.of(a.backend()));

            client.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
            client.sendChunked(upload);
            var echoed = client.read("POST");
            var download = client.get("/chunked/4000001");

            assertEquals(200, echoed.status());
            assertArrayEquals(upload, echoed.body());
            assertEquals(200, download.status());
            assertArrayEquals(HttpTestBackend.payload(4000001), download.body());
            assertEquals("worker 1", client.get("/id").text(), "the connection is still in step after both");
        }
    }

    @Test
    void contentLengthHeadAndBodilessStatusesKeepTheConnectionInStep() throws Exception {
        var upload = new byte[1024 * 1024];
        new Random(5).nextBytes(upload);
        try (var a = new HttpTestBackend(1); var listener = listen(ProxyProtocol.HTTP);
                var client = new HttpTestClient(listener.port())) {
            listener.setBackends(List.of(a.backend()));

            client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + upload.length + "\r\n\r\n");
            client.send(upload);
            assertArrayEquals(upload, client.read("POST").body());

            client.send("HEAD /id HTTP/1.1\r\nHost: t\r\n\r\n");
            var head = client.read("HEAD");
            assertEquals(200, head.status());
            assertEquals("8", head.headers().get("content-length"));
            assertEquals(204, client.get("/status/204").status());
            assertEquals(304, client.get("/status/304").status()); // its Content-Length describes no body here
            client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
            assertEquals("hello", client.read("POST").text());
            client.send("GET /id HTTP/1.1\r\nHost: t\r\n\r\nGET /status/204 HTTP/1.1\r\nHost: t\r\n\r\n"); // pipelined
            assertEquals("worker 1", client.read("GET").text());
            assertEquals(204, client.read("GET").status());
            assertEquals(1, a.accepted());
        }
    }

    @Test
    void clientThatAsksToCloseIsClosedAfterItsResponse() throws Exception {
        try (var a = new HttpTestBackend(1); var listener = listen(ProxyProtocol.HTTP)) {
            listener.setBackends(List.of(a.backend()));
            try (var http10 = new HttpTestClient(listener.port())) {
                http10.send("GET /id HTTP/1.0\r\n\r\n");
                assertEquals("worker 1", http10.read("GET").text());
                assertTrue(http10.closedByServer());
            }
            try (var http10KeepAlive = new HttpTestClient(listener.port())) {
                http10KeepAlive.send("GET /id HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                assertEquals("worker 1", http10KeepAlive.read("GET").text());
                http10KeepAlive.send("GET /id HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                assertEquals("worker 1", http10KeepAlive.read("GET").text());
            }
            try (var closing = new HttpTestClient(listener.port())) {
                assertEquals(200, closing.get("/id").status());
                closing.send("GET /id HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
                assertEquals("worker 1", closing.read("GET").text());
                assertTrue(closing.closedByServer());
            }
            Await.until(DEADLINE, () -> listener.openConnections().isEmpty(), "no backend connection left");
        }
    }

    @Test
    void responseWithoutLengthEndsWithTheConnection() throws Exception {
        try (var a = new HttpTestBackend(1); var listener = listen(ProxyProtocol.HTTP);
                var client = new HttpTestClient(listener.port())) {
            listener.setBackends(List.of(a.backend()));

            var response = client.get("/until-close");

            assertEquals(200, response.status());
            assertEquals("worker 1", response.text());
        }
    }

    @Test
    void backendThatClosedAnIdleConnectionIsReplacedForTheNextRequest() throws Exception {
        try (var a = new HttpTestBackend(1); var listener = listen(ProxyProtocol.HTTP);
                var client = new HttpTestClient(listener.port())) {
            listener.setBackends(List.of(a.backend()));

            assertEquals(200, client.get("/bye").status()); // then worker 1 closes that connection
            Await.until(DEADLINE, () -> a.accepted() == 1, "the first backend connection");
            var next = client.get("/id");

            assertEquals(200, next.status());
            assertEquals(2, a.accepted());
        }
    }

    @Test
    void idempotentRequestIsRetriedWhenTheBackendDropsItUnanswered() throws Exception {
        try (var a = new HttpTestBackend(1); var listener = listen(ProxyProtocol.HTTP);
                var client = new HttpTestClient(listener.port())) {
            listener.setBackends(List.of(a.backend()));

            var response = client.get("/drop-once");

            assertEquals(200, response.status());
            assertEquals(2, a.heads.size(), "sent twice");
            assertEquals(2, a.accepted());
        }
    }

    @Test
    void nonIdempotentRequestDroppedByTheBackendGets502() throws Exception {
        try (var a = new HttpTestBackend(1); var listener = listen(ProxyProtocol.HTTP);
                var client = new HttpTestClient(listener.port())) {
            listener.setBackends(List.of(a.backend()));

            client.send("POST /drop HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc");

            assertEquals(502, client.read("POST").status());
            assertEquals(1, a.heads.size(), "never sent twice");
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void upgradedConnectionIsPinnedToItsWorkerAndCountedUntilClosed() throws Exception {
        try (var a = new HttpTestBackend(1); var b = new HttpTestBackend(2); var listener = listen(ProxyProtocol.AUTO)) {
            listener.setBackends(List.of(a.backend()));
            var client = new HttpTestClient(listener.port());
            try {
                client.send("GET /upgrade HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nearly");
                var switched = client.read("GET");
                assertEquals(101, switched.status());
                assertArrayEquals(ascii("early"), client.readBytes(5), "bytes sent right after the head follow it");

                listener.setBackends(List.of(b.backend()));
                client.send("still worker 1");
                assertArrayEquals(ascii("still worker 1"), client.readBytes(14));
                var drained = listener.whenIdle(1);
                assertEquals(1, listener.openConnections().get(1));
                assertFalse(drained.isDone());

                client.close();
                drained.get(5, TimeUnit.SECONDS);
            } finally {
                client.close();
            }
        }
    }

    @Test
    void expectContinueInterimResponseIsRelayedBeforeTheBody() throws Exception {
        try (var a = new HttpTestBackend(1); var listener = listen(ProxyProtocol.HTTP);
                var client = new HttpTestClient(listener.port())) {
            listener.setBackends(List.of(a.backend()));

            client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(100, client.read("POST").status()); // the client waits for it before sending the body
            client.send("hello");
            var response = client.read("POST");

            assertEquals(200, response.status());
            assertEquals("hello", response.text());
            assertEquals("worker 1", client.get("/id").text());
        }
    }

    @Test
    void noWorkerGets503AndBadRequestsGet400Or431() throws Exception {
        try (var listener = PortListener.open("web", FreePorts.reserve(), Duration.ofMillis(100), ProxyProtocol.HTTP)) {
            try (var client = new HttpTestClient(listener.port())) {
                assertEquals(503, client.get("/id").status());
            }
            try (var client = new HttpTestClient(listener.port())) {
                client.send("GET /id HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n");
                assertEquals(400, client.read("GET").status());
            }
            try (var client = new HttpTestClient(listener.port())) {
                client.send("GET /id HTTP/1.1\r\nX-Big: " + "x".repeat(70_000) + "\r\n\r\n");
                assertEquals(431, client.read("GET").status());
            }
        }
    }
}
