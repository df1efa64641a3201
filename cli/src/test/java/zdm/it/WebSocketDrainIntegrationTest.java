package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.net.FreePorts;
import zdm.test.Await;

/**
 * listen: socket: a WebSocket (npm ws) and a stream of server-sent events outlive a reload until their old worker's
 * drain ends, as behind the proxy.
 */
@ExtendWith(ZdmHomes.class)
class WebSocketDrainIntegrationTest {
    ZdmHome z;
    int port;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
        port = FreePorts.reserve();
        z.testApp("ws.js");
        var npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--silent", "ws@8")
                .directory(z.dir.toFile()).redirectErrorStream(true).start();
        var out = new String(npm.getInputStream().readAllBytes());
        Assumptions.assumeTrue(npm.waitFor(180, TimeUnit.SECONDS) && npm.exitValue() == 0
                && Files.isDirectory(z.dir.resolve("node_modules/ws")), "npm could not install ws: " + out);
        z.ecosystem("""
                apps:
                  - name: web
                    script: ws.js
                    port: %d
                    listen: socket
                    ready: {log: listening}
                    kill_timeout: 12s   # long: at load, seeing the drain start can take seconds
                    env: { ZDM_TEST_TAG: ${TAG} }
                """.formatted(port));
        z.ok("start", "ecosystem.yaml");
    }

    @Test
    void aWebSocketAndAnEventStreamLiveUntilTheDrainEnds() throws Exception {
        long old = z.pids("web").getFirst();
        var messages = new LinkedBlockingQueue<String>();
        var closed = new CompletableFuture<Integer>();
        var ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket s, CharSequence data, boolean last) {
                        messages.add(data.toString());
                        s.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket s, int code, String reason) {
                        closed.complete(code);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket s, Throwable error) {
                        closed.complete(-1);
                    }
                }).get(20, TimeUnit.SECONDS);
        var events = new java.net.Socket("127.0.0.1", port);
        events.setSoTimeout(10_000);
        events.getOutputStream().write("GET /events HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(nextEvent(events).equals("data: " + old), "the stream comes from the one worker");
        ws.sendText("before", true).get(10, TimeUnit.SECONDS);
        assertEquals(old + ":before", messages.poll(10, TimeUnit.SECONDS));
        // The reload returns once the old worker is gone, i.e. after its drain: run it alongside.
        var reload = z.background(java.util.Map.of(), "reload", "web");
        Await.until(ZdmHome.SHORT, () -> z.zdm("events", "web").out().contains("old pid " + old + " draining"), "the old worker drains");
        long signalledAt = System.nanoTime();
        // The old worker has its stop signal now. Past the preload's 500 ms idle grace (where it used to cut
        // every WebSocket), the connection still answers, from the old worker.
        Thread.sleep(1_500);
        assertTrue(!closed.isDone(), "the WebSocket was cut by the reload (close code " + closed.getNow(null) + ")");
        ws.sendText("during", true).get(10, TimeUnit.SECONDS);
        assertEquals(old + ":during", messages.poll(10, TimeUnit.SECONDS));
        events.getInputStream().skip(events.getInputStream().available()); // what came before: only a new one counts
        assertEquals("data: " + old, nextEvent(events), "the event stream (a response still being written) goes on too");
        assertTrue(ZdmHome.alive(old), "the old worker drains while its WebSocket is open");
        // The drain ends at kill_timeout: then the connection and the old worker are gone.
        closed.get(40, TimeUnit.SECONDS);
        assertTrue((System.nanoTime() - signalledAt) / 1_000_000 >= 3_000, "it lived on toward kill_timeout (12 s)");
        Await.until(ZdmHome.SHORT, () -> !ZdmHome.alive(old), "the old worker is gone after its drain");
        assertTrue(reload.process().waitFor(60, TimeUnit.SECONDS) && reload.process().exitValue() == 0, reload.err());
        assertTrue(z.ok("events", "web").out().contains("killed"), "the drain ended at kill_timeout");
        events.close();
    }

    /** The next "data: ..." line of an event stream, skipping what comes before it (the head, blank lines). */
    private static String nextEvent(java.net.Socket s) throws java.io.IOException {
        var line = new StringBuilder();
        var in = s.getInputStream();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                if (line.toString().startsWith("data: ")) return line.toString();
                line.setLength(0);
            } else if (b != '\r') {
                line.append((char) b);
            }
        }
        return "(the stream ended)";
    }
}
