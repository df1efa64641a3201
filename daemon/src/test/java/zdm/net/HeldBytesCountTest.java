package zdm.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zdm.test.Await;

/**
 * What the daemon's budget counts besides a client's unread bytes and the responses it did not take: request bytes
 * queued for a worker that does not read them, a worker's response head still arriving, and a tunnel's bytes either
 * way; each is given back once it has left, and tunnels are shed past the bound like other connections.
 */
@Timeout(90)
class HeldBytesCountTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration LONG = Duration.ofSeconds(60);
    private static final ProxyLimits ROOMY = new ProxyLimits(LONG, LONG, ProxyLimits.DEFAULTS.maxHeadBytes(), 1000);
    /** Netty's high water mark: a worker connection holding more is no longer written to (the client not read). */
    private static final long HIGH_WATER = 64 * 1024;

    private static PortListener listen(ProxyBudget budget, ProxyProtocol protocol) throws IOException {
        return PortListener.open("web", FreePorts.reserve(), WAIT, protocol, new Traffic(), ROOMY, budget);
    }

    private static ProxyBudget unbounded() {
        return new ProxyBudget(1000, Long.MAX_VALUE, () -> 0);
    }

    @Test
    void anUploadQueuedForAWorkerThatDoesNotReadIsCountedUntilTheWorkerTakesIt() throws Exception {
        int size = 16 * 1024 * 1024; // more than the kernel's buffers between the proxy and the worker take (4 MiB)
        var budget = unbounded();
        var reading = new CountDownLatch(1);
        var received = new AtomicLong();
        try (var worker = new RawWorker(connection -> {
                    reading.await();
                    connection.setOption(StandardSocketOptions.SO_RCVBUF, 1024 * 1024); // now it reads at full speed
                    var buffer = ByteBuffer.allocate(64 * 1024);
                    for (int n; (n = connection.read(buffer.clear())) >= 0; ) received.addAndGet(n);
                });
                var web = listen(budget, ProxyProtocol.HTTP); var client = new HttpTestClient(web.port())) {
            web.setBackends(List.of(worker.backend()));
            String head = "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: " + size + "\r\n\r\n";
            client.send(head);
            var sending = CompletableFuture.runAsync(() -> {
                try {
                    client.send(new byte[size]); // blocks while the proxy does not read on
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Await.until(WAIT, () -> budget.heldBytes() >= HIGH_WATER, () -> "the queued upload counted: " + budget.heldBytes());
            reading.countDown();
            sending.get(60, TimeUnit.SECONDS);
            Await.until(LONG, () -> received.get() >= size, () -> "the worker to get the upload: " + received.get());
            Await.until(WAIT, () -> budget.heldBytes() == 0, () -> "nothing held once the worker took it: " + budget.heldBytes());
            assertEquals(1, budget.open(), "the client is still connected, waiting for its answer");
        }
    }

    @Test
    void aResponseHeadStillArrivingIsCountedUntilItIsRelayed() throws Exception {
        var budget = unbounded();
        var finish = new CountDownLatch(1);
        String fields = ("X-Pad: " + "p".repeat(90) + "\r\n").repeat(400); // ~39 KB, under the 64 KiB head limit
        try (var worker = new RawWorker(connection -> {
                    RawWorker.readHead(connection);
                    RawWorker.write(connection, "HTTP/1.1 200 OK\r\n" + fields);
                    finish.await();
                    RawWorker.write(connection, "Content-Length: 2\r\n\r\nok");
                    connection.read(ByteBuffer.allocate(1)); // until the proxy closes it
                });
                var web = listen(budget, ProxyProtocol.HTTP); var client = new HttpTestClient(web.port())) {
            web.setBackends(List.of(worker.backend()));
            client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
            Await.until(WAIT, () -> budget.heldBytes() >= fields.length(),
                    () -> "the partial response head counted: " + budget.heldBytes());
            finish.countDown();
            var response = client.read("GET");
            assertEquals(200, response.status());
            assertEquals("ok", response.text());
            Await.until(WAIT, () -> budget.heldBytes() == 0, () -> "nothing held once relayed: " + budget.heldBytes());
        }
    }

    /** A worker that sends without pause until its connection is closed (a download, a feed). */
    private static RawWorker flooding(AtomicLong closed) throws IOException {
        return new RawWorker(connection -> {
            var chunk = ByteBuffer.allocate(64 * 1024);
            try {
                while (true) connection.write(chunk.clear());
            } catch (IOException e) {
                closed.incrementAndGet();
            }
        });
    }

    private static SocketChannel neverReading(int port, byte[] first) throws IOException {
        var channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4096); // the kernel takes little of what it is sent
        channel.connect(new InetSocketAddress("127.0.0.1", port));
        channel.write(ByteBuffer.wrap(first));
        return channel;
    }

    @Test
    void aTunnelsBytesAreCountedAndGivenBackWhenItCloses() throws Exception {
        var budget = unbounded();
        var closed = new AtomicLong();
        try (var worker = flooding(closed); var web = listen(budget, ProxyProtocol.TCP)) {
            web.setBackends(List.of(worker.backend()));
            try (var client = neverReading(web.port(), new byte[] {'x'})) {
                Await.until(WAIT, () -> budget.heldBytes() >= HIGH_WATER,
                        () -> "what the tunnel's client did not take counted: " + budget.heldBytes());
            }
            Await.until(WAIT, () -> budget.open() == 0 && budget.heldBytes() == 0,
                    () -> "given back at the close: " + budget.open() + " open, " + budget.heldBytes() + " held");
            Await.until(WAIT, () -> closed.get() == 1, "the worker's connection closed too");
        }
    }

    /** 20 tunnels each holding at least 64 KiB against a bound of 256 KiB: some are shed, and what is held stays bounded. */
    @Test
    void tunnelsPastTheDaemonsBoundAreShed() throws Exception {
        long bound = 256 * 1024;
        var budget = new ProxyBudget(1000, Long.MAX_VALUE, () -> 0, bound);
        var closed = new AtomicLong();
        var clients = new ArrayList<SocketChannel>();
        try (var worker = flooding(closed); var web = listen(budget, ProxyProtocol.TCP)) {
            web.setBackends(List.of(worker.backend()));
            long peak = 0;
            for (int i = 0; i < 20; i++) {
                clients.add(neverReading(web.port(), new byte[] {'x'}));
                peak = Math.max(peak, budget.heldBytes());
            }
            Await.until(WAIT, () -> closed.get() > 0, () -> "some tunnels shed: " + budget.open() + " open");
            for (int i = 0; i < 20; i++) {
                Thread.sleep(50);
                peak = Math.max(peak, budget.heldBytes());
            }
            System.out.printf("20 tunnels that never read, bound %d KiB: %d closed, held at most %d KiB%n",
                    bound / 1024, 20 - budget.open(), peak / 1024);
            assertTrue(budget.open() < 20, "shed: " + budget.open() + " open");
            assertTrue(peak <= 2 * bound + 4 * HIGH_WATER, "held at most " + peak + " bytes, bound " + bound);
        } finally {
            for (var client : clients) client.close();
        }
        Await.until(WAIT, () -> budget.heldBytes() == 0, () -> "every held byte given back: " + budget.heldBytes());
    }
}
