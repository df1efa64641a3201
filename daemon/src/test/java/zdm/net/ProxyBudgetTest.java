package zdm.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

    @Test
    void theConnectionBoundComesFromTheHeapUnlessSetToAPositiveInteger() {
        assertEquals(13_107, ProxyBudget.maxOpenFor(null, 128L << 20), "one connection per 10 KiB of heap");
        assertEquals(500, ProxyBudget.maxOpenFor(" 500 ", 128L << 20));
        assertEquals(13_107, ProxyBudget.maxOpenFor("0", 128L << 20));
        assertEquals(13_107, ProxyBudget.maxOpenFor("lots", 128L << 20));
        assertEquals(1, ProxyBudget.maxOpenFor(null, 1024));
    }
}
