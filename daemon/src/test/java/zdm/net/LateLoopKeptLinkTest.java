package zdm.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A kept worker connection past its idle time ({@link ConnectionClock#LINK_IDLE_NANOS}) is never used for a request,
 * even when the task that closes it has not run: a loop held up past that time (a busy machine: the suite once saw it
 * under a benchmark, GunicornKeepAliveTest's POSTs getting 502) handles the client's read before its due timers. The
 * worker here stands for one that closes idle connections itself: it answers the first request of a connection and
 * closes the connection on the next one, unanswered, so a POST sent over the kept connection gets 502.
 */
@Timeout(60)
class LateLoopKeptLinkTest {
    private static final String POST = "POST /submit HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello";
    private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aPostAfterTheKeptConnectionsIdleTimeGoesToANewOneWhenTheLoopRunsLate() throws Exception {
        try (var worker = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             var listener = PortListener.open("web", FreePorts.reserve(), Duration.ofSeconds(5), ProxyProtocol.HTTP)) {
            Thread.ofVirtual().start(() -> answerFirstRequestOnly(worker));
            listener.setBackends(List.of(new Backend(1, worker.getLocalPort())));
            try (var client = new HttpTestClient(listener.port())) {
                client.send(POST);
                assertEquals(200, client.read("POST").status(), "the first POST");
                // Every loop held up from now until past the kept connection's idle time, the second POST sent
                // meanwhile: when the loop runs again, the client's read and the due timer are handled together.
                long holdMillis = TimeUnit.NANOSECONDS.toMillis(ConnectionClock.LINK_IDLE_NANOS) + 700;
                var held = new CountDownLatch(1);
                var holds = new ArrayList<Future<?>>();
                for (EventExecutor loop : ProxyLoops.group()) {
                    holds.add(loop.submit(() -> {
                        held.countDown();
                        sleepUninterruptibly(holdMillis);
                    }));
                }
                held.await(5, TimeUnit.SECONDS);
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(ConnectionClock.LINK_IDLE_NANOS) + 200); // a gap under test
                client.send(POST);
                for (var hold : holds) hold.get(10, TimeUnit.SECONDS);
                assertEquals(200, client.read("POST").status(), "the second POST, sent after the kept connection's idle time");
            }
        }
    }

    /** Each connection: the first request answered and the connection kept; the next one closes it unanswered. */
    private static void answerFirstRequestOnly(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> {
                    try (s) {
                        readRequest(s.getInputStream());
                        s.getOutputStream().write(OK);
                        readRequest(s.getInputStream());
                        s.setSoLinger(true, 0);
                    } catch (IOException ignored) {
                        // the proxy closed it first
                    }
                });
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** A head, then the 5 bytes of body every request here has. */
    private static void readRequest(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) throw new IOException("closed");
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        if (in.readNBytes(5).length != 5) throw new IOException("closed in the body");
    }

    private static void sleepUninterruptibly(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            try {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            } catch (InterruptedException e) {
                // a loop is not interrupted in this test; finish the hold regardless
            }
        }
    }
}
