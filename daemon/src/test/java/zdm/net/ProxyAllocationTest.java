package zdm.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the proxy's loops allocate per keep-alive request, relayed to node's own http server: the garbage that decides
 * how often a young collection stops every connection of the daemon, and with it the proxy's tail latency. Counted by
 * the JVM per thread, so the figure does not depend on the machine's load.
 */
@Timeout(120)
class ProxyAllocationTest {
    private static final int WARM_UP = 2_000;
    private static final int MEASURED = 6_000;
    /**
     * Measured 2026-12-07: 15-30 bytes per request (the JIT's escape analysis decides how many: 25 interpreted, 24
     * with C1 alone, 15 with C2 alone), 656 before a connection kept its head parsers, exchange, body scanners and head
     * for the worker, 1,006 before it kept its head copies and dropped the write promises. What is left is mostly a
     * Content-Length's framing record (24 bytes, when not scalar-replaced) and the timers' tasks. The kept objects are
     * reused, not left to the JIT, so the bound holds interpreted: any one of the parsers, the exchange, the head
     * array, or a ByteBuffer duplicate per response head, made per request again, passes it.
     */
    private static final long BOUND_BYTES = 64;

    @Test
    void aKeepAliveRequestCostsTheLoopsFewBytes() throws Exception {
        assumeTrue(onPath("node"), "needs node (nodejs): bin/test installs it");
        var node = new ProcessBuilder("node", "-e", """
                const s = require('http').createServer((q, r) => r.end('hello\\n'));
                s.listen(0, '127.0.0.1', () => console.log(s.address().port));
                """).redirectErrorStream(true).start();
        try (var listener = PortListener.open("web", FreePorts.reserve(), Duration.ofSeconds(5), ProxyProtocol.HTTP)) {
            int port = Integer.parseInt(new BufferedReader(
                    new InputStreamReader(node.getInputStream(), StandardCharsets.US_ASCII)).readLine().trim());
            listener.setBackends(List.of(new Backend(1, port)));
            try (var client = new HttpTestClient(listener.port())) {
                for (int i = 0; i < WARM_UP; i++) assertEquals(200, client.get("/").status());
                long before = loopsAllocated();
                for (int i = 0; i < MEASURED; i++) assertEquals(200, client.get("/").status());
                long perRequest = (loopsAllocated() - before) / MEASURED;
                System.out.println("proxy loops: " + perRequest + " bytes allocated per keep-alive request");
                assertTrue(perRequest <= BOUND_BYTES, perRequest + " bytes per request, bound " + BOUND_BYTES);
            }
        } finally {
            node.destroy();
            node.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Bytes allocated so far by the proxy's loop threads (ProxyLoops names them). */
    private static long loopsAllocated() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (var thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("zdm-proxy-loop")) total += threads.getThreadAllocatedBytes(thread.threadId());
        }
        assertTrue(total > 0, "the proxy's loop threads were found");
        return total;
    }

    private static boolean onPath(String command) throws IOException, InterruptedException {
        var which = new ProcessBuilder("sh", "-c", "command -v " + command).redirectErrorStream(true).start();
        which.getInputStream().readAllBytes();
        return which.waitFor() == 0;
    }
}
