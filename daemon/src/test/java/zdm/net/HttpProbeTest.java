package zdm.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HttpProbe against real servers on 127.0.0.1: the JDK's HTTP server, and raw sockets for misbehaving peers. */
class HttpProbeTest {

    private static final Duration TIMEOUT = Duration.ofMillis(400);

    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (var c : toClose.reversed()) c.close();
    }

    /** An HTTP server answering each path with the given status; remembers the request headers per path. */
    private record Http(int port, Map<String, Map<String, String>> requests) {}

    private Http http(Map<String, Integer> statusByPath) throws IOException {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        var requests = new ConcurrentHashMap<String, Map<String, String>>();
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().toString();
            var headers = new java.util.HashMap<String, String>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
            headers.put(":method", exchange.getRequestMethod());
            requests.put(path, headers);
            exchange.sendResponseHeaders(statusByPath.getOrDefault(path, 404), -1);
            exchange.close();
        });
        server.start();
        toClose.add(() -> server.stop(0));
        return new Http(server.getAddress().getPort(), requests);
    }

    /** A raw server that hands each accepted connection to {@code serve} on a virtual thread. */
    private int raw(Behaviour serve) throws IOException {
        var server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        toClose.add(server);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    toClose.add(s);
                    Thread.ofVirtual().start(() -> {
                        try {
                            serve.accept(s);
                        } catch (IOException | InterruptedException ignored) {
                            // the probe hung up or the test is over
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return server.getLocalPort();
    }

    private interface Behaviour {
        void accept(Socket s) throws IOException, InterruptedException;
    }

    @Test
    void twoHundredsAreOkAndTheRequestIsAPlainGetWithConnectionClose() throws IOException {
        var server = http(Map.of("/health", 200, "/empty", 204, "/q?x=1", 299));
        assertTrue(HttpProbe.ok(server.port(), "/health", TIMEOUT));
        assertTrue(HttpProbe.ok(server.port(), "/empty", TIMEOUT));
        assertTrue(HttpProbe.ok(server.port(), "/q?x=1", TIMEOUT));
        var headers = server.requests().get("/health");
        assertEquals("GET", headers.get(":method"));
        assertEquals("127.0.0.1", headers.get("host"));
        assertEquals("close", headers.get("connection"));
    }

    @Test
    void otherStatusesAreNotOk() throws IOException {
        var server = http(Map.of("/down", 503, "/moved", 301, "/err", 500));
        assertFalse(HttpProbe.ok(server.port(), "/down", TIMEOUT));
        assertFalse(HttpProbe.ok(server.port(), "/moved", TIMEOUT));
        assertFalse(HttpProbe.ok(server.port(), "/err", TIMEOUT));
        assertFalse(HttpProbe.ok(server.port(), "/missing", TIMEOUT)); // 404
        assertTrue(server.requests().containsKey("/down"), "the probe reached the server");
    }

    @Test
    void nothingListeningIsNotOk() throws IOException {
        int port = FreePorts.reserve();
        assertFalse(HttpProbe.ok(port, "/health", TIMEOUT));
    }

    @Test
    void aServerThatNeverAnswersIsNotOkWithinTheTimeout() throws IOException {
        int port = raw(s -> s.getInputStream().readAllBytes()); // reads the request, never answers
        long start = System.nanoTime();
        assertFalse(HttpProbe.ok(port, "/health", TIMEOUT));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs >= TIMEOUT.toMillis() - 50 && tookMs < TIMEOUT.toMillis() + 1_000, "took " + tookMs + " ms");
    }

    @Test
    void aServerTricklingBytesCannotStretchTheDeadline() throws IOException {
        int port = raw(s -> {
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < 1_000; i++) { // a status line that never ends, one byte every 20 ms
                out.write('H');
                out.flush();
                Thread.sleep(20);
            }
        });
        long start = System.nanoTime();
        assertFalse(HttpProbe.ok(port, "/health", TIMEOUT));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs < TIMEOUT.toMillis() + 1_000, "took " + tookMs + " ms");
    }

    @Test
    void aStatusLineThatIsNotHttpIsNotOk() throws IOException {
        int port = raw(s -> s.getOutputStream().write("SSH-2.0-OpenSSH 200\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(HttpProbe.ok(port, "/health", TIMEOUT));
        int http10 = raw(s -> s.getOutputStream().write("HTTP/1.0 200 OK\n\n".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(HttpProbe.ok(http10, "/health", TIMEOUT), "HTTP/1.0 and a bare LF are still a 2xx status line");
        int closes = raw(Socket::close);
        assertFalse(HttpProbe.ok(closes, "/health", TIMEOUT));
    }

    @Test
    void pathsThatWouldBreakTheRequestLineAreRefusedWithoutThrowing() throws IOException {
        var server = http(Map.of("/health", 200));
        assertFalse(HttpProbe.ok(server.port(), "health", TIMEOUT));
        assertFalse(HttpProbe.ok(server.port(), "/health HTTP/1.1\r\nX: y", TIMEOUT));
        assertFalse(HttpProbe.ok(server.port(), null, TIMEOUT));
        assertFalse(HttpProbe.ok(server.port(), "/health", null));
        assertFalse(HttpProbe.ok(70_000, "/health", TIMEOUT));
        assertTrue(server.requests().isEmpty(), "nothing was sent: " + server.requests());
    }

    @Test
    void aZeroTimeoutIsStillBounded() throws IOException {
        int port = raw(s -> s.getInputStream().readAllBytes());
        long start = System.nanoTime();
        assertFalse(HttpProbe.ok(port, "/health", Duration.ZERO));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(1).toNanos(), "a zero timeout must not mean forever");
    }
}
