package zdm.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zdm.test.Await;

/**
 * What the proxy reads and holds while one side is slower than the other: a client that pipelines requests and never
 * reads the responses, a client that pipelines many and reads them, a body that arrives before there is a worker.
 */
@Timeout(90)
class ProxyBackpressureTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration LONG = Duration.ofSeconds(60);
    private static final ProxyLimits ROOMY = new ProxyLimits(LONG, LONG, ProxyLimits.DEFAULTS.maxHeadBytes(), 1000);

    private static PortListener listen(ProxyBudget budget) throws IOException {
        return PortListener.open("web", FreePorts.reserve(), WAIT, ProxyProtocol.HTTP, new Traffic(), ROOMY, budget);
    }

    private static byte[] pipelined(String path, int requests) {
        return ("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n").repeat(requests).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * 100 clients each pipeline 40 requests for 200 KB and never read a response: what their sockets do not take waits
     * in the daemon (about 64 KiB each, then the worker's connection is no longer read). It counts toward the daemon's
     * bound (1 MiB here), past which such connections are closed: what the proxy holds stays near twice the bound, and
     * a client that reads is served meanwhile.
     */
    @Test
    void clientsThatNeverReadTheirResponsesAreCountedAndShedWhileOthersAreServed() throws Exception {
        greedyClientsAreShed(pipelined("/chunked/200000", 40), null);
    }

    /**
     * 100 clients each pipeline 3,000 requests behind one the worker holds: the requests read ahead count toward the
     * daemon's bound (1 MiB here), past which such connections are closed, and a client that reads is served meanwhile.
     */
    @Test
    void clientsThatPipelineBehindASlowRequestAreCountedAndShedWhileOthersAreServed() throws Exception {
        var requests = new StringBuilder("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n");
        requests.append("GET /id HTTP/1.1\r\nHost: t\r\n\r\n".repeat(3000));
        greedyClientsAreShed(requests.toString().getBytes(StandardCharsets.US_ASCII), "/hold");
    }

    /** {@code held}: a path whose requests the worker holds until released (null: none). */
    private static void greedyClientsAreShed(byte[] requests, String held) throws Exception {
        int greedy = 100;
        long bound = 1024 * 1024;
        var budget = new ProxyBudget(1000, Long.MAX_VALUE, () -> 0, bound);
        long directBefore = ProxyBudget.pooledBytes();
        var clients = new ArrayList<SocketChannel>();
        try (var a = new HttpTestBackend(1); var web = listen(budget)) {
            web.setBackends(List.of(a.backend()));
            long peakHeld = 0;
            long peakDirect = 0;
            for (int i = 0; i < greedy; i++) {
                var channel = SocketChannel.open();
                channel.setOption(StandardSocketOptions.SO_RCVBUF, 4096); // the kernel takes little of what it is sent
                channel.connect(new InetSocketAddress("127.0.0.1", web.port()));
                channel.configureBlocking(false);
                channel.write(ByteBuffer.wrap(requests)); // as much as the proxy reads; the rest is never sent
                clients.add(channel);
                peakHeld = Math.max(peakHeld, budget.heldBytes());
            }
            // Until nothing moves: the worker gets no new request, and the count of open connections is steady.
            long start = System.nanoTime();
            long quietSince = start;
            String last = "";
            while (System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(2)) {
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60), "still moving after 60 s: " + last);
                Thread.sleep(50);
                peakHeld = Math.max(peakHeld, budget.heldBytes());
                peakDirect = Math.max(peakDirect, ProxyBudget.pooledBytes() - directBefore);
                String now = a.heads.size() + "/" + budget.open();
                if (!now.equals(last)) quietSince = System.nanoTime();
                last = now;
            }
            int shed = greedy - budget.open();
            System.out.printf("%d greedy clients, bound %d KiB: %d closed, held at most %d KiB (now %d KiB), pooled"
                    + " buffers +%d KiB at most, %d requests reached the worker%n", greedy, bound / 1024, shed,
                    peakHeld / 1024, budget.heldBytes() / 1024, peakDirect / 1024, a.heads.size());
            assertTrue(shed > 0, "some were shed: the bound was passed many times over");
            assertTrue(peakHeld <= 2 * bound + 512 * 1024, "held at most " + peakHeld + " bytes, bound " + bound);
            // What the allocator took (1 MiB chunks, some for reads in flight): without the count, 6 to 15 MiB.
            assertTrue(peakDirect <= 2 * bound + 3 * 1024 * 1024, "the proxy's buffers grew by " + peakDirect + " bytes");
            try (var client = new HttpTestClient(web.port())) {
                assertEquals(200, client.get("/id").status(), "a client that reads is served meanwhile");
            }
            if (held != null) a.release();
        } finally {
            for (var channel : clients) channel.close();
        }
        Await.until(Duration.ofSeconds(20), () -> budget.heldBytes() == 0, "every held byte given back once they left");
    }

    /** Read-ahead stops at a bound, and picks up again as the responses leave: every answer comes, in order. */
    @Test
    void aClientThatPipelinesThousandsOfRequestsGetsEveryAnswerInOrder() throws Exception {
        int count = 3000;
        var budget = new ProxyBudget(1000, Long.MAX_VALUE, () -> 0);
        try (var a = new HttpTestBackend(1); var web = listen(budget); var client = new HttpTestClient(web.port())) {
            web.setBackends(List.of(a.backend()));
            var sb = new StringBuilder();
            for (int i = 0; i < count; i++) sb.append(i % 2 == 0 ? "GET /id" : "GET /status/204").append(" HTTP/1.1\r\nHost: t\r\n\r\n");
            var sending = CompletableFuture.runAsync(() -> {
                try {
                    client.send(sb.toString()); // blocks while the proxy reads no further ahead
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            for (int i = 0; i < count; i++) {
                var response = client.read("GET");
                assertEquals(i % 2 == 0 ? 200 : 204, response.status(), "response " + i);
            }
            sending.get(10, TimeUnit.SECONDS);
            assertEquals(count, a.heads.size());
            // Still open, and idle: what it held while its requests were read ahead is no longer counted.
            Await.until(Duration.ofSeconds(10), () -> budget.heldBytes() == 0, "nothing held once all were answered");
        }
    }

    /**
     * A body that arrives while no worker is ready: reading stops at the read-ahead bound (20 KiB of it here, within one
     * read) while the request waits, and must start again once it is sent, or the upload stalls until body_timeout.
     */
    @Test
    void aBodySentWhileNoWorkerIsReadyReachesTheWorkerOnceOneIs() throws Exception {
        var upload = new byte[1024 * 1024];
        new Random(7).nextBytes(upload);
        int first = 20 * 1024;
        var budget = new ProxyBudget(1000, Long.MAX_VALUE, () -> 0);
        try (var a = new HttpTestBackend(1); var web = PortListener.open("web", FreePorts.reserve(), LONG,
                ProxyProtocol.HTTP, new Traffic(), ROOMY, budget); var client = new HttpTestClient(web.port())) {
            client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + upload.length + "\r\n\r\n");
            client.send(java.util.Arrays.copyOf(upload, first));
            Await.until(WAIT, () -> budget.heldBytes() >= first, "the proxy to hold the start of the body");
            var rest = CompletableFuture.runAsync(() -> {
                try {
                    client.send(java.util.Arrays.copyOfRange(upload, first, upload.length));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            web.setBackends(List.of(a.backend()));
            var echoed = client.read("POST");
            rest.get(10, TimeUnit.SECONDS);
            assertEquals(200, echoed.status());
            assertArrayEquals(upload, echoed.body());
        }
    }
}
