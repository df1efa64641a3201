package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.net.FreePorts;
import zdm.test.Await;

/**
 * The daemon-wide bound over every app's proxy (docs/configuration.md, "Memory"): stalled clients spread over two
 * apps, each app within its own max_connections, cannot make the daemon hold more than ZDM_PROXY_MAX_CONNECTIONS
 * connections; the rest wait in the kernel's queues, a normal client is served once others leave (or once
 * head_timeout cuts them off, as ProxyFacingClientsIntegrationTest shows), and memory stays bounded.
 */
@ExtendWith(ZdmHomes.class)
class ProxyBudgetIntegrationTest {
    private static final int BOUND = 600;
    private static final int PER_APP = 500;
    /** Longer than the test: here the daemon's bound lets clients in, not the head timeout (tested elsewhere). */
    private static final int HEAD_TIMEOUT_SECONDS = 60;
    /**
     * Netty takes up to 16 connections per accept batch before a port's pause applies (2 ports), and the count of
     * the daemon's sockets includes a few of its own (worker connections).
     */
    private static final int BATCH_SLACK = 2 * 16 + 8;
    private static final long RSS_BOUND_MIB = 48;

    @Test
    void stalledClientsOfTwoAppsStopAtTheDaemonsBoundWhileANormalRequestIsServed(ZdmHome z) throws Exception {
        z.env.put("ZDM_PROXY_MAX_CONNECTIONS", Integer.toString(BOUND));
        int api = FreePorts.reserve(), web = FreePorts.reserve();
        z.testApp("framing.js");
        z.ecosystem("""
                apps:
                  - {name: api, script: framing.js, port: %d, head_timeout: %ds, env: { ZDM_TEST_TAG: ${TAG} }}
                  - {name: web, script: framing.js, port: %d, head_timeout: %ds, env: { ZDM_TEST_TAG: ${TAG} }}
                """.formatted(api, HEAD_TIMEOUT_SECONDS, web, HEAD_TIMEOUT_SECONDS));
        z.ok("start", "ecosystem.yaml");
        long pid = z.daemonPid().orElseThrow();
        assertEquals(200, Http.get(api, "/warm").status());
        assertEquals(200, Http.get(web, "/warm").status());
        long socketsBefore = sockets(pid), rssBefore = rssMiB(pid);

        var partial = ("GET / HTTP/1.1\r\nHost: x\r\nX-Stall: " + "a".repeat(15_000)).getBytes(StandardCharsets.US_ASCII);
        var stalled = new ArrayList<SocketChannel>();
        try {
            for (int i = 0; i < PER_APP; i++) {
                for (int port : List.of(api, web)) {
                    var ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                    stalled.add(ch);
                    ch.write(ByteBuffer.wrap(partial));
                }
            }
            // Long enough a head_timeout that none is cut off meanwhile: the daemon fills up to its bound...
            Await.until(Duration.ofSeconds(HEAD_TIMEOUT_SECONDS - 5), () -> sockets(pid) - socketsBefore >= BOUND,
                    "the daemon holds " + BOUND + " of the stalled clients");
            // ...and holds no more, over a second (not a lucky sample), nor grows past the memory bound.
            long most = 0, rss = rssBefore;
            for (long end = System.nanoTime() + Duration.ofSeconds(1).toNanos(); System.nanoTime() < end; ) {
                most = Math.max(most, sockets(pid) - socketsBefore);
                rss = Math.max(rss, rssMiB(pid));
                Thread.sleep(50);
            }
            System.out.printf("%d stalled clients over two apps: the daemon held %d (bound %d), RSS %d -> %d MiB%n",
                    2 * PER_APP, most, BOUND, rssBefore, rss);
            assertTrue(most <= BOUND + BATCH_SLACK, "the daemon held " + most + " connections, bound " + BOUND);
            assertTrue(rss - rssBefore <= RSS_BOUND_MIB, "grew by " + (rss - rssBefore) + " MiB");

            // A normal client of api waits in the kernel's queue, behind api's queued stalled ones; web's clients
            // leaving makes room daemon-wide (api is far from its own max_connections), and it is served.
            try (var normal = SocketChannel.open(new InetSocketAddress("127.0.0.1", api))) {
                normal.write(ByteBuffer.wrap("GET /while-stalled HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII)));
                for (int i = 1; i < stalled.size(); i += 2) stalled.get(i).close(); // web's
                normal.socket().setSoTimeout((int) Duration.ofSeconds(30).toMillis());
                var reply = new String(normal.socket().getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(reply.startsWith("HTTP/1.1 200 "), reply);
            }
        } finally {
            for (var ch : stalled) ch.close();
        }
        assertEquals(200, Http.get(web, "/after").status());
    }

    /** Sockets the process holds (its client connections come and go; the rest stays). */
    private static long sockets(long pid) {
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            }).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long rssMiB(long pid) throws IOException {
        for (var line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
        throw new IOException("no VmRSS for " + pid);
    }
}
