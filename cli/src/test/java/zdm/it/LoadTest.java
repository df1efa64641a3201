package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import zdm.test.Await;

/**
 * The load client's counting, against servers that break connections in known ways: a retrying client must not hide
 * a failure that a retry would not fix, and a plain one must count what a retrying one retries.
 */
class LoadTest {
    private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nhello\n".getBytes(StandardCharsets.US_ASCII);
    private ServerSocket server;
    private Thread acceptor;

    /** Each connection: one request answered with keep-alive, then the next request read and the connection closed. */
    private int closingIdleConnections() throws IOException {
        return serve(s -> {
            readHead(s.getInputStream());
            s.getOutputStream().write(OK);
            readHead(s.getInputStream());
            s.setSoLinger(true, 0); // a reset, as a server that closes with the request unread
        });
    }

    /** Each connection: one request answered with keep-alive, then the next one gets half a response head and a close. */
    private int breakingMidResponse() throws IOException {
        return serve(s -> {
            readHead(s.getInputStream());
            s.getOutputStream().write(OK);
            readHead(s.getInputStream());
            s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Le".getBytes(StandardCharsets.US_ASCII));
        });
    }

    /** Each connection: the request read, then a reset before any byte of a response. */
    private int resettingEveryRequest() throws IOException {
        return serve(s -> {
            readHead(s.getInputStream());
            s.setSoLinger(true, 0);
        });
    }

    @Test
    void aPlainClientCountsARequestLostOnAReusedConnection() throws Exception {
        int port = closingIdleConnections();
        try (var load = Load.start(port, 2, true)) {
            Await.until(Duration.ofSeconds(10), () -> load.ok() >= 20 && load.failed() >= 20, "requests served and lost: " + load);
        }
    }

    @Test
    void aRetryingClientSendsThatRequestAgainAndCountsNoFailure() throws Exception {
        int port = closingIdleConnections();
        try (var load = Load.startRetryingStale(port, 2, Duration.ZERO)) {
            Await.until(Duration.ofSeconds(10), () -> load.ok() >= 20 && load.retried() >= 20, "requests served and retried: " + load);
            load.close();
            assertEquals(0, load.failed(), load.toString());
        }
    }

    @Test
    void aRetryingClientStillCountsAResponseCutShort() throws Exception {
        int port = breakingMidResponse();
        try (var load = Load.startRetryingStale(port, 2, Duration.ZERO)) {
            Await.until(Duration.ofSeconds(10), () -> load.failed() >= 20, "responses cut short counted: " + load);
            load.close();
            assertEquals(0, load.retried(), load.toString());
            assertTrue(load.failures().stream().allMatch(f -> f.contains("reused connection")), load.toString());
        }
    }

    @Test
    void aRetryingClientStillCountsARequestLostOnANewConnection() throws Exception {
        int port = resettingEveryRequest();
        try (var load = Load.startRetryingStale(port, 2, Duration.ZERO)) {
            Await.until(Duration.ofSeconds(10), () -> load.failed() >= 20, "requests lost on new connections counted: " + load);
            load.close();
            assertEquals(0, load.retried(), load.toString());
        }
    }

    private interface Connection {
        void handle(Socket s) throws IOException;
    }

    private int serve(Connection connection) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            connection.handle(s);
                        } catch (IOException ignored) {
                            // the client went away
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return server.getLocalPort();
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) throw new IOException("closed");
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
        if (acceptor != null) acceptor.join(5_000);
    }
}
