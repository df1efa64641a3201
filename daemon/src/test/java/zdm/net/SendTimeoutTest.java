package zdm.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zdm.test.Await;

/**
 * send_timeout: a client that takes none of what waits for it for that long is closed, with its worker connection, so
 * its connection slot is free again; one that reads slowly but steadily is not. Real clients that never read: their
 * receive buffer is small and full, so the response waits in the daemon.
 */
@Timeout(90)
class SendTimeoutTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration LONG = Duration.ofSeconds(60);

    private static PortListener listen(ProxyBudget budget, ProxyProtocol protocol, ProxyLimits limits) throws IOException {
        return PortListener.open("web", FreePorts.reserve(), WAIT, protocol, new Traffic(), limits, budget);
    }

    private static ProxyLimits limits(int maxConnections, Duration sendTimeout) {
        return new ProxyLimits(LONG, LONG, ProxyLimits.DEFAULTS.maxHeadBytes(), maxConnections).withSendTimeout(sendTimeout);
    }

    private static SocketChannel neverReading(int port, String request) throws IOException {
        var channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        channel.connect(new InetSocketAddress("127.0.0.1", port));
        channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        return channel;
    }

    /** Reads what is left until EOF or a reset: the proxy closed the connection. */
    private static void drainsToTheEnd(SocketChannel channel) throws IOException {
        channel.socket().setSoTimeout(20_000);
        var in = channel.socket().getInputStream();
        var buffer = new byte[64 * 1024];
        try {
            while (in.read(buffer) >= 0) {
                // what the kernel still held for it
            }
        } catch (java.net.SocketException e) {
            // reset: closed as well
        }
    }

    /**
     * The app allows one connection; its client asks for 4 MB and never reads. Without a send timeout it would hold
     * the only slot for good; with 1 s it is closed, its worker connection too, and the next client is served.
     */
    @Test
    void aClientThatNeverReadsIsClosedAtTheSendTimeoutAndItsSlotServesTheNextClient() throws Exception {
        var budget = new ProxyBudget(1000, Long.MAX_VALUE, () -> 0);
        try (var a = new HttpTestBackend(1); var web = listen(budget, ProxyProtocol.HTTP, limits(1, Duration.ofSeconds(1)))) {
            web.setBackends(List.of(a.backend()));
            try (var never = neverReading(web.port(), "GET /chunked/4000000 HTTP/1.1\r\nHost: t\r\n\r\n")) {
                Await.until(WAIT, () -> budget.heldBytes() > 0, "the response to wait in the daemon");
                try (var next = new HttpTestClient(web.port())) { // waits in the kernel's queue meanwhile
                    assertEquals(200, next.get("/id").status(), "served once the never-reading client's slot is free");
                }
                Await.until(WAIT, () -> web.openConnections().isEmpty(), "the worker connections closed");
                drainsToTheEnd(never);
            }
            assertEquals(2, web.acceptedTotal());
        }
    }

    /**
     * 8 MB (more than the kernel's largest send buffer, 4 MiB, so part of it waits in the daemon) read in 16 KiB pieces
     * every 10 ms, several seconds with a 2 s send timeout: every byte arrives.
     */
    @Test
    void aClientThatReadsSlowlyButSteadilyIsNotCutOff() throws Exception {
        int size = 8_000_000;
        var budget = new ProxyBudget(1000, Long.MAX_VALUE, () -> 0);
        try (var worker = new RawWorker(connection -> {
                    RawWorker.readHead(connection);
                    RawWorker.write(connection, "HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\nConnection: close\r\n\r\n");
                    var body = ByteBuffer.allocate(size);
                    while (body.hasRemaining()) connection.write(body);
                });
                var web = listen(budget, ProxyProtocol.HTTP, limits(100, Duration.ofSeconds(2)));
                var client = new Socket()) {
            web.setBackends(List.of(worker.backend()));
            client.setReceiveBufferSize(16 * 1024);
            client.setSoTimeout(20_000);
            client.connect(new InetSocketAddress("127.0.0.1", web.port()));
            client.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            var in = client.getInputStream();
            var piece = new byte[16 * 1024];
            long total = 0;
            boolean waitedInTheDaemon = false;
            for (int n; (n = in.read(piece)) >= 0; ) {
                total += n;
                waitedInTheDaemon |= budget.heldBytes() > 0;
                Thread.sleep(10);
            }
            assertTrue(waitedInTheDaemon, "the response waited in the daemon: the send timeout was armed");
            assertTrue(total > size, "the whole response arrived: " + total + " bytes");
        }
    }

    /** A tunnel's client that takes nothing of what its worker sends is closed too, and the worker's connection. */
    @Test
    void aTunnelsClientThatNeverReadsIsClosedAtTheSendTimeout() throws Exception {
        var budget = new ProxyBudget(1000, Long.MAX_VALUE, () -> 0);
        var closed = new AtomicLong();
        try (var worker = new RawWorker(connection -> {
                    var chunk = ByteBuffer.allocate(64 * 1024);
                    try {
                        while (true) connection.write(chunk.clear());
                    } catch (IOException e) {
                        closed.incrementAndGet();
                    }
                });
                var web = listen(budget, ProxyProtocol.TCP, limits(100, Duration.ofSeconds(1)))) {
            web.setBackends(List.of(worker.backend()));
            try (var never = neverReading(web.port(), "hello")) {
                Await.until(WAIT, () -> closed.get() == 1, "the worker's connection closed at the send timeout");
                Await.until(WAIT, () -> budget.open() == 0 && budget.heldBytes() == 0, "the client's slot free");
                drainsToTheEnd(never);
            }
        }
    }
}
