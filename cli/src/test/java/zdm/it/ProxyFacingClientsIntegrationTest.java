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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import zdm.net.FreePorts;
import zdm.test.Await;

/**
 * The public port against clients that misbehave, with node's own http server as the reference: one daemon with a
 * node app behind its proxy, and the same app run alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyFacingClientsIntegrationTest {
    /** What docs/configuration.md promises for 1,000 stalled clients with the default head size limit. */
    private static final long STALLED_THOUSAND_BOUND_MIB = 48;
    /**
     * Longer than {@link #QUIET} with a margin: a corpus request left incomplete must look "open" from both. Also
     * the bound for a real client served while 1,000 heads stall: a proxy held up by them would serve it only once
     * they are cut off, at this time-out; long enough that a busy machine (load 58 gave 5.9 s) stays well inside.
     */
    private static final int HEAD_TIMEOUT_SECONDS = 15;
    private static final int SEND_TIMEOUT_SECONDS = 2;
    private static final Duration QUIET = Duration.ofSeconds(2);
    /** How long a verdict waits for an answer it expects (node's), however busy the machine. */
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.[01] (\\d{3})");

    ZdmHome z;
    int proxied;
    int alone;
    Process nodeAlone;

    @BeforeAll
    void startBoth() throws Exception {
        z = new ZdmHome();
        proxied = FreePorts.reserve();
        alone = FreePorts.reserve();
        var app = z.testApp("framing.js");
        z.ecosystem("""
                apps:
                  - name: web
                    script: framing.js
                    port: %d
                    head_timeout: %ds
                    keepalive_timeout: 5s
                    send_timeout: %ds
                    env: { ZDM_TEST_TAG: ${TAG} }
                """.formatted(proxied, HEAD_TIMEOUT_SECONDS, SEND_TIMEOUT_SECONDS));
        z.ok("start", "ecosystem.yaml");
        var pb = new ProcessBuilder("node", app.toString()).redirectErrorStream(true)
                .redirectOutput(z.dir.resolve("alone.log").toFile());
        pb.environment().put("PORT", String.valueOf(alone));
        nodeAlone = pb.start();
        Await.until(ZdmHome.SHORT, () -> answers(alone), "node alone listens");
    }

    @AfterAll
    void stopBoth() throws Exception {
        if (nodeAlone != null) {
            nodeAlone.destroy();
            nodeAlone.waitFor(10, TimeUnit.SECONDS);
        }
        z.close();
    }

    @Test
    void everyMalformedOrTrickyRequestGetsTheVerdictNodeAloneGives() throws Exception {
        var corpus = FramingCorpus.requests();
        assertTrue(corpus.size() >= 50, "corpus size " + corpus.size());
        var differ = new TreeMap<String, String>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var fromNode = new TreeMap<String, Future<String>>();
            corpus.forEach((name, bytes) -> fromNode.put(name, pool.submit(verdict(alone, bytes, null))));
            var fromZdm = new TreeMap<String, Future<String>>();
            for (var e : corpus.entrySet()) {
                String expected = fromNode.get(e.getKey()).get();
                fromZdm.put(e.getKey(), pool.submit(verdict(proxied, e.getValue(), expected)));
            }
            for (var name : corpus.keySet()) {
                String expected = fromNode.get(name).get();
                String actual = fromZdm.get(name).get();
                if (!expected.equals(actual)) differ.put(name, "node alone: " + expected + ", behind zdm: " + actual);
            }
        }
        // Node alone waits QUIET for its answer; on a busy machine it may be late, so each difference is asked
        // of both once more, node with PATIENCE. A real difference stays.
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var again = new TreeMap<String, Future<String>>();
            for (var name : differ.keySet()) {
                byte[] bytes = corpus.get(name);
                again.put(name, pool.submit(() -> {
                    String expected = verdict(alone, bytes, "").call();
                    String actual = verdict(proxied, bytes, expected).call();
                    return expected.equals(actual) ? null : "node alone: " + expected + ", behind zdm: " + actual;
                }));
            }
            for (var e : again.entrySet()) {
                String stillDiffers = e.getValue().get();
                if (stillDiffers == null) differ.remove(e.getKey());
                else differ.put(e.getKey(), stillDiffers);
            }
        }
        assertEquals(Map.of(), differ, corpus.size() + " requests, these differ");
    }

    @Test
    void aThousandStalledHeadsAreCutOffWhileARealClientIsServedAndMemoryStaysBounded() throws Exception {
        long pid = z.daemonPid().orElseThrow();
        assertEquals(200, Http.get(proxied, "/warm").status());
        long before = rssMiB(pid);
        // Just under the 16 KiB head limit, so each fills its buffer and none is refused with 431.
        var partial = ("GET / HTTP/1.1\r\nHost: x\r\nX-Stall: " + "a".repeat(15_000)).getBytes(StandardCharsets.US_ASCII);
        var stalled = new ArrayList<SocketChannel>();
        try {
            for (int i = 0; i < 1000; i++) {
                var ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", proxied));
                stalled.add(ch);
                ch.write(ByteBuffer.wrap(partial));
            }
            long t0 = System.nanoTime();
            var reply = Http.get(proxied, "/while-stalled");
            long servedMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(200, reply.status());
            assertTrue(servedMs < (HEAD_TIMEOUT_SECONDS - 3) * 1000L, "a real client is served while 1,000 heads stall: " + servedMs + " ms");
            long during = rssMiB(pid);
            var window = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (System.nanoTime() < window) { // the largest size while they stall, not a lucky sample
                during = Math.max(during, rssMiB(pid));
                Thread.sleep(100);
            }
            System.out.printf("daemon RSS %d MiB before, %d MiB with 1,000 stalled heads; a request took %d ms%n",
                    before, during, servedMs);
            assertTrue(during - before <= STALLED_THOUSAND_BOUND_MIB,
                    "1,000 stalled heads cost " + (during - before) + " MiB, more than " + STALLED_THOUSAND_BOUND_MIB);

            for (var ch : stalled) {
                Await.until(Duration.ofSeconds(HEAD_TIMEOUT_SECONDS + 20), () -> cutOff(ch), "a stalled head is cut off");
            }
        } finally {
            for (var ch : stalled) ch.close();
        }
        assertEquals(200, Http.get(proxied, "/after").status());
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterKeepaliveTimeout() throws Exception {
        try (var ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", proxied))) {
            ch.write(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            long t0 = System.nanoTime();
            Await.until(ZdmHome.SHORT, () -> cutOff(ch), "the idle connection is closed");
            assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(4500).toNanos(), "not before keepalive_timeout (5s)");
        }
    }

    @Test
    void clientsThatLeaveBeforeTheirResponseReachTheApp() throws Exception {
        int before = Integer.parseInt(Http.get(proxied, "/gone").body().strip());
        for (int i = 0; i < 20; i++) {
            try (var ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", proxied))) {
                ch.write(ByteBuffer.wrap("GET /hang HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            }
        }
        Await.until(ZdmHome.SHORT, () -> gone() >= before + 20, () -> "the app saw 20 clients go: " + gone());
    }

    /**
     * A client that asks for an endless stream and never reads: the proxy closes it once it has taken nothing for
     * send_timeout, and its worker connection, so the app sees its response's connection close.
     */
    @Test
    void aClientThatNeverReadsIsClosedAtTheSendTimeoutAndTheAppSeesItGo() throws Exception {
        int before = count("/cut");
        long t0 = System.nanoTime();
        try (var ch = SocketChannel.open()) {
            ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4096); // full at once: the rest waits in the daemon
            ch.connect(new InetSocketAddress("127.0.0.1", proxied));
            ch.write(ByteBuffer.wrap("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            Await.until(ZdmHome.SHORT, () -> count("/cut") > before, () -> "the app saw its response cut off: " + count("/cut"));
            assertTrue(System.nanoTime() - t0 >= Duration.ofSeconds(SEND_TIMEOUT_SECONDS).toNanos(), "not before send_timeout");
            Await.until(ZdmHome.SHORT, () -> cutOff(ch), "the client's connection is closed");
        }
    }

    private int gone() {
        return count("/gone");
    }

    private int count(String path) {
        try {
            return Integer.parseInt(Http.get(proxied, path).body().strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The statuses the server answered, and whether it closed the connection or left it open when quiet. Without an
     * expected verdict, QUIET without a byte ends the reading. With one, a silence ends it only once as many statuses
     * came as expected and the connection is expected open; otherwise reading goes on until PATIENCE has passed, so a
     * slow answer on a busy machine is not taken for none (an empty expectation means: wait PATIENCE for an answer).
     */
    private static Callable<String> verdict(int port, byte[] request, String expected) {
        return () -> {
            try (var ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
                ch.write(ByteBuffer.wrap(request));
                var received = new StringBuilder();
                var socket = ch.socket();
                socket.setSoTimeout((int) QUIET.toMillis());
                var in = socket.getInputStream();
                var buffer = new byte[65536];
                String end = "open";
                long deadline = System.nanoTime() + PATIENCE.toNanos();
                while (System.nanoTime() < deadline) {
                    int n;
                    try {
                        n = in.read(buffer);
                    } catch (java.net.SocketTimeoutException quiet) {
                        if (expected == null || enoughFor(expected, received)) break;
                        continue;
                    } catch (IOException reset) {
                        end = "closed";
                        break;
                    }
                    if (n < 0) {
                        end = "closed";
                        break;
                    }
                    received.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                }
                var statuses = new ArrayList<String>();
                var m = STATUS.matcher(received);
                while (m.find()) statuses.add(m.group(1));
                return String.join(",", statuses) + " " + end;
            }
        };
    }

    /**
     * True when a silence may end the reading: the answer so far has as many statuses as expected ("200,200 open":
     * two) and the expected verdict leaves the connection open. An empty expectation asks for one status.
     */
    private static boolean enoughFor(String expected, CharSequence received) {
        long got = STATUS.matcher(received).results().count();
        if (expected.isEmpty()) return got >= 1;
        if (expected.endsWith("closed")) return false;
        String codes = expected.substring(0, expected.lastIndexOf(' '));
        return got >= (codes.isEmpty() ? 0 : codes.split(",").length);
    }

    private static boolean answers(int port) {
        try {
            return Http.get(port, "/").status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** True once the server closed the connection (a 408 before the close is read and skipped). */
    private static boolean cutOff(SocketChannel ch) {
        try {
            ch.configureBlocking(false);
            var buffer = ByteBuffer.allocate(4096);
            int n;
            while ((n = ch.read(buffer.clear())) > 0) {
                // skip what came before the end
            }
            return n < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private static long rssMiB(long pid) throws IOException {
        for (var line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
        throw new IOException("no VmRSS for " + pid);
    }
}
