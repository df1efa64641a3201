package zdm.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zdm.test.Await;

/** The daemon-wide bound over every app's proxy: connections past it, from any app, wait in the kernel's queue. */
@Timeout(60)
class ProxyBudgetTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final ProxyLimits ROOMY = new ProxyLimits(LONG, LONG, ProxyLimits.DEFAULTS.maxHeadBytes(), 100);

    private static PortListener listen(ProxyBudget budget) throws IOException {
        return PortListener.open("web", FreePorts.reserve(), WAIT, ProxyProtocol.HTTP, new Traffic(), ROOMY, budget);
    }

    @Test
    void connectionsPastTheDaemonsBoundWaitWhicheverAppTheyComeToAndACloseInAnyAppLetsThemIn() throws Exception {
        var budget = new ProxyBudget(3, Long.MAX_VALUE, () -> 0);
        try (var a = new HttpTestBackend(1); var b = new HttpTestBackend(2);
                var api = listen(budget); var web = listen(budget);
                var first = new HttpTestClient(api.port()); var second = new HttpTestClient(api.port());
                var third = new HttpTestClient(web.port())) {
            api.setBackends(List.of(a.backend()));
            web.setBackends(List.of(b.backend()));
            assertEquals(200, first.get("/id").status());
            assertEquals(200, second.get("/id").status());
            assertEquals(200, third.get("/id").status());
            try (var fourth = new HttpTestClient(web.port()); var fifth = new HttpTestClient(api.port())) {
                fourth.send("GET /id HTTP/1.1\r\nHost: t\r\n\r\n");
                fifth.send("GET /id HTTP/1.1\r\nHost: t\r\n\r\n");
                Thread.sleep(300); // a negative: it can only pass wrongly, never fail wrongly
                assertEquals(1, web.acceptedTotal(), "web has room of its own (100) but the daemon has none: " + budget.open());
                assertEquals(2, api.acceptedTotal());

                first.close(); // api's: the slot it frees is the daemon's, so web's waiting client may take it
                second.close();
                assertEquals(200, fourth.read("GET").status());
                assertEquals(200, fifth.read("GET").status());
                assertEquals(2, web.acceptedTotal());
                assertEquals(3, api.acceptedTotal());
            }
        }
    }

    @Test
    void noConnectionIsAcceptedWhileTheBuffersHoldMoreThanTheBoundAndAcceptingResumesWhenTheyShrink() throws Exception {
        var buffered = new AtomicLong();
        var budget = new ProxyBudget(100, 1 << 20, buffered::get);
        try (var a = new HttpTestBackend(1); var web = listen(budget); var first = new HttpTestClient(web.port())) {
            web.setBackends(List.of(a.backend()));
            assertEquals(200, first.get("/id").status());
            buffered.set(2 << 20); // as if stalled clients held 2 MiB
            Thread.sleep(10 * ProxyBudget.SAMPLE_NANOS / 1_000_000 + 10); // past the figure's staleness: not a timing bet
            try (var second = new HttpTestClient(web.port())) { // taken at once (room when it came), then the port pauses
                assertEquals(200, second.get("/id").status());
                try (var third = new HttpTestClient(web.port())) {
                    third.send("GET /id HTTP/1.1\r\nHost: t\r\n\r\n");
                    Thread.sleep(300 + ProxyBudget.RECHECK_MILLIS); // a negative, as above
                    assertEquals(2, web.acceptedTotal(), "not accepted while the buffers are over the bound");

                    buffered.set(0); // no connection closes: the recheck alone must let it in
                    assertEquals(200, third.read("GET").status());
                    assertEquals(3, web.acceptedTotal());
                }
            }
        }
    }

    /**
     * Hostile clients that each send most of a head and stop (400 × 12 KiB): past the daemon's bound for such bytes
     * (1 MiB here), the ones that come later are answered 503 and closed, what the proxy holds stays near the bound, and
     * a client with a whole request is still served.
     */
    @Test
    void stalledHeadsPastTheHeldBoundAreShedWhileOtherClientsAreServed() throws Exception {
        int hostile = 400;
        long bound = 1024 * 1024;
        long directBefore = ProxyBudget.pooledBytes();
        var budget = new ProxyBudget(1000, Long.MAX_VALUE, () -> 0, bound);
        var unfinished = ("GET / HTTP/1.1\r\nHost: t\r\nX-Pad: " + "a".repeat(12 * 1024)).getBytes(StandardCharsets.US_ASCII);
        var stalled = new ArrayList<SocketChannel>();
        try (var a = new HttpTestBackend(1); var web = listen(budget)) {
            web.setBackends(List.of(a.backend()));
            for (int i = 0; i < hostile; i++) {
                var channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", web.port()));
                stalled.add(channel);
                channel.write(ByteBuffer.wrap(unfinished));
                channel.configureBlocking(false);
            }
            // Each one is either held (nothing to read) or answered and closed; wait until at least half are answered.
            Await.until(Duration.ofSeconds(20), () -> answered(stalled) >= hostile / 2, "stalled clients to be shed");
            long held = budget.heldBytes();
            assertTrue(held <= bound + 64 * 1024, "held " + held + " bytes, bound " + bound);
            // What the allocator really took (in 1 MiB chunks, some for reads in flight): without the bound, 6 MiB.
            long direct = ProxyBudget.pooledBytes() - directBefore;
            assertTrue(direct <= bound + 3 * 1024 * 1024, "the proxy's buffers grew by " + direct + " bytes");
            System.out.printf("%d stalled heads, bound %d KiB: %d shed, %d KiB held, pooled buffers +%d KiB%n",
                    hostile, bound / 1024, answered(stalled), held / 1024, direct / 1024);
            try (var client = new HttpTestClient(web.port())) {
                assertEquals(200, client.get("/id").status(), "a whole request while stalled clients are held");
            }
        } finally {
            for (var channel : stalled) channel.close();
        }
        Await.until(Duration.ofSeconds(10), () -> budget.heldBytes() == 0, "every held byte given back once they left");
    }

    /** How many of {@code channels} were answered 503 (they are closed after it). */
    private static int answered(List<SocketChannel> channels) {
        int count = 0;
        var buffer = ByteBuffer.allocate(4096);
        for (var channel : channels) {
            buffer.clear();
            try {
                int n = channel.read(buffer);
                if (n > 0 && new String(buffer.array(), 0, n, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 503 ")) {
                    channel.close(); // counted once: a closed channel is not read again
                }
            } catch (IOException e) {
                // reset after the answer: already counted, or closed by us
            }
            if (!channel.isOpen()) count++;
        }
        return count;
    }

    @Test
    void theConnectionBoundComesFromTheHeapUnlessSetToAPositiveInteger() {
        assertEquals(13_107, ProxyBudget.maxOpenFor(null, 128L << 20), "one connection per 10 KiB of heap");
        assertEquals(500, ProxyBudget.maxOpenFor(" 500 ", 128L << 20));
        assertEquals(13_107, ProxyBudget.maxOpenFor("0", 128L << 20));
        assertEquals(13_107, ProxyBudget.maxOpenFor("lots", 128L << 20));
        assertEquals(1, ProxyBudget.maxOpenFor(null, 1024));
    }
}
