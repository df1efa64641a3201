package zdm.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zdm.test.Await;

@Timeout(30)
class PortListenerTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    /**
     * These tests are about the tunnel; TCP skips the 1 s wait AUTO spends on clients that speak second (most of
     * these do). AUTO's own behaviour is covered in HttpProxyTest.
     */
    private static PortListener listen(Duration waitForBackend) throws IOException {
        return PortListener.open("web", FreePorts.reserve(), waitForBackend, ProxyProtocol.TCP);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void forwardsSeveralMegabytesBothWaysByteForByte() throws Exception {
        var payload = new byte[8 * 1024 * 1024 + 123];
        new Random(42).nextBytes(payload);
        try (var backend = TestBackend.echo(1); var listener = listen(WAIT)) {
            listener.setBackends(List.of(backend.backend()));

            byte[] reply = TestClient.exchange(listener.port(), payload);

            assertArrayEquals(payload, reply);
            assertEquals(1, listener.acceptedTotal());
        }
    }

    @Test
    void halfClosedClientStillReceivesTheWholeReply() throws Exception {
        var payload = new byte[300 * 1024];
        new Random(7).nextBytes(payload);
        // This backend answers only after it sees EOF, so the reply arrives only if the proxy passed the half-close on.
        try (var backend = TestBackend.replyAfterEof(1); var listener = listen(WAIT)) {
            listener.setBackends(List.of(backend.backend()));
            try (var client = new TestClient(listener.port())) {
                client.send(payload);
                client.shutdownOutput();
                assertArrayEquals(payload, client.readAll());
            }
        }
    }

    /**
     * The client half-closes, then reads nothing until the reply has filled every buffer on its way, so the proxy must
     * wait for room on a socket whose peer has ended its input. Netty's native epoll (4.2.18) lost the rest of such a
     * reply: see EpollKeepRegistered.
     */
    @Test
    void halfClosedClientThatReadsLateStillReceivesTheWholeReply() throws Exception {
        var reply = new byte[16 * 1024 * 1024];
        new Random(11).nextBytes(reply);
        var stalled = new CountDownLatch(1);
        try (var backend = TestBackend.replyAfterEofUntilStalled(1, reply, stalled); var listener = listen(WAIT)) {
            listener.setBackends(List.of(backend.backend()));
            try (var client = new TestClient(listener.port())) {
                client.send("the request");
                client.shutdownOutput();
                assertTrue(stalled.await(20, TimeUnit.SECONDS), "the reply to fill the buffers of a client that does not read");
                assertArrayEquals(reply, client.readAll());
            }
        }
    }

    @Test
    void roundRobinSpreadsConnectionsOverBackends() throws Exception {
        try (var a = TestBackend.identifying(1); var b = TestBackend.identifying(2); var listener = listen(WAIT)) {
            listener.setBackends(List.of(a.backend(), b.backend()));
            for (int i = 0; i < 4; i++) {
                try (var client = new TestClient(listener.port())) {
                    assertTrue(client.readLine().startsWith("worker "));
                }
            }
            assertEquals(2, a.accepted(), "worker 1 connections");
            assertEquals(2, b.accepted(), "worker 2 connections");
        }
    }

    @Test
    void connectionWithoutBackendWaitsAndIsServedOnceOneIsAdded() throws Exception {
        try (var backend = TestBackend.echo(1); var listener = listen(WAIT);
                var client = new TestClient(listener.port())) {
            client.send("hello");
            client.shutdownOutput();
            var reply = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(client.readAll(), StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Await.until(DEADLINE, () -> listener.acceptedTotal() == 1, "the connection to be accepted");
            assertFalse(reply.isDone(), "the waiting connection must not be answered or closed");

            listener.setBackends(List.of(backend.backend()));

            assertEquals("hello", reply.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void connectionIsClosedAfterWaitForBackendWhenNoneAppears() throws Exception {
        var waitForBackend = Duration.ofMillis(300);
        try (var listener = listen(waitForBackend)) {
            long start = System.nanoTime();
            try (var client = new TestClient(listener.port())) {
                assertNull(client.readLine(), "expected EOF");
            }
            var elapsed = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(elapsed.compareTo(waitForBackend) >= 0, "closed too early: " + elapsed);
            assertTrue(elapsed.compareTo(Duration.ofSeconds(3)) < 0, "closed too late: " + elapsed);
        }
    }

    @Test
    void deadBackendInRotationIsSkipped() throws Exception {
        var dead = new Backend(9, FreePorts.reserve()); // nothing listens there
        try (var live = TestBackend.identifying(2); var listener = listen(Duration.ofMillis(200))) {
            listener.setBackends(List.of(dead, live.backend()));
            for (int i = 0; i < 4; i++) {
                try (var client = new TestClient(listener.port())) {
                    assertEquals("worker 2", client.readLine());
                }
            }
            assertEquals(4, live.accepted());
        }
    }

    @Test
    void removedBackendKeepsItsOpenConnectionUntilItFinishes() throws Exception {
        try (var a = TestBackend.identifying(1); var b = TestBackend.identifying(2); var listener = listen(WAIT);
                var client = new TestClient(listener.port())) {
            listener.setBackends(List.of(a.backend(), b.backend()));
            String first = client.readLine();
            var reached = first.equals("worker 1") ? a : b;
            var other = reached == a ? b : a;

            listener.setBackends(List.of(other.backend()));

            client.send("still here\n");
            assertEquals("still here", client.readLine());
            assertEquals(1, listener.openConnections().get(reached.workerId));
            try (var next = new TestClient(listener.port())) {
                assertEquals("worker " + other.workerId, next.readLine());
            }
        }
    }

    @Test
    void portInUseGivesOneLineMessageNamingAppAndPort() throws Exception {
        try (var occupant = ServerSocketChannel.open()) {
            occupant.bind(new InetSocketAddress("0.0.0.0", 0));
            int port = ((InetSocketAddress) occupant.getLocalAddress()).getPort();

            var error = assertThrows(IOException.class, () -> PortListener.open("web", port, WAIT));

            assertEquals("port " + port + " is already in use by another process; choose another port: for app web",
                    error.getMessage());
        }
    }

    @Test
    void openConnectionsCountUpAndBackDownToZero() throws Exception {
        try (var a = TestBackend.identifying(1); var b = TestBackend.identifying(2); var listener = listen(WAIT)) {
            listener.setBackends(List.of(a.backend(), b.backend()));
            var clients = new TestClient[] {
                new TestClient(listener.port()), new TestClient(listener.port()), new TestClient(listener.port())
            };
            try {
                for (var client : clients) assertTrue(client.readLine().startsWith("worker "));
                var open = listener.openConnections();
                assertEquals(2, open.get(1));
                assertEquals(1, open.get(2));
            } finally {
                for (var client : clients) client.close();
            }
            Await.until(DEADLINE, () -> listener.openConnections().getOrDefault(1, 0) == 0
                    && listener.openConnections().getOrDefault(2, 0) == 0, "open connections back to 0");
            assertEquals(3, listener.acceptedTotal());
        }
    }

    @Test
    void closeRefusesNewConnectionsAndEndsOpenTunnels() throws Exception {
        try (var backend = TestBackend.identifying(1)) {
            var listener = listen(WAIT);
            listener.setBackends(List.of(backend.backend()));
            try (var client = new TestClient(listener.port())) {
                assertEquals("worker 1", client.readLine());
                assertTrue(TcpProbe.accepts(listener.port(), Duration.ofSeconds(1)));

                listener.close();

                // NIO closes a registered channel's socket at the event loop's next select, so the kernel may
                // still complete a handshake just after close() returns (seen failing at load 25): poll.
                Await.until(DEADLINE, () -> !TcpProbe.accepts(listener.port(), Duration.ofMillis(200)), "the port to stop accepting");
                assertThrows(IOException.class, () -> new TestClient(listener.port()));
                try {
                    assertNull(client.readLine(), "tunnel should be closed");
                } catch (SocketException reset) {
                    // a reset is as closed as EOF
                }
            }
        }
    }

    @Test
    void closeEndsConnectionsStillWaitingForABackend() throws Exception {
        var listener = listen(Duration.ofSeconds(20));
        try (var client = new TestClient(listener.port())) {
            Await.until(DEADLINE, () -> listener.acceptedTotal() == 1, "the connection to be accepted");
            long start = System.nanoTime();
            listener.close();
            assertNull(client.readLine(), "expected EOF");
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
        }
    }
}
