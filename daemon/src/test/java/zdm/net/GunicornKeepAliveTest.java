package zdm.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import zdm.test.Await;

/**
 * POSTs through the proxy to Debian's gunicorn (its threaded worker, which keeps connections alive for its default
 * 2 s), spaced around that keep-alive time: a POST cannot be sent twice, so one that went out on a kept connection just
 * as gunicorn closed it for idleness would get 502. The proxy must not send it there. bin/test installs gunicorn.
 */
@Timeout(120)
class GunicornKeepAliveTest {
    /** Reads the body and answers with its length: a request that must not be sent twice. */
    private static final String APP = """
            def app(environ, start_response):
                length = int(environ.get('CONTENT_LENGTH') or 0)
                body = environ['wsgi.input'].read(length)
                start_response('200 OK', [('Content-Type', 'text/plain')])
                return [b'got %d' % len(body)]
            """;
    private static final int CLIENTS = 8;

    @TempDir
    Path dir;

    @Test
    void postsSpacedAroundGunicornsKeepAliveTimeNeverFail() throws Exception {
        var gunicorn = Path.of("/usr/bin/gunicorn");
        assumeTrue(Files.isExecutable(gunicorn), "needs Debian's gunicorn: bin/test installs it");
        Files.writeString(dir.resolve("app.py"), APP);
        int port = FreePorts.reserve();
        // --threads: gunicorn's threaded worker, the one that keeps connections alive (its sync worker closes each).
        var server = new ProcessBuilder(gunicorn.toString(), "--threads", "4", "--bind", "127.0.0.1:" + port,
                "--chdir", dir.toString(), "app:app").redirectErrorStream(true)
                .redirectOutput(dir.resolve("gunicorn.log").toFile()).start();
        var clients = new ArrayList<HttpTestClient>();
        try (var listener = PortListener.open("web", FreePorts.reserve(), Duration.ofSeconds(10), ProxyProtocol.HTTP)) {
            Await.until(Duration.ofSeconds(30), () -> accepts(port), "gunicorn to listen on " + port);
            listener.setBackends(List.of(new Backend(1, port)));
            for (int i = 0; i < CLIENTS; i++) clients.add(new HttpTestClient(listener.port()));
            int sent = 0;
            var failures = new ArrayList<String>();
            // Gaps from just under gunicorn's 2 s to past its next check (it looks every second), each round on every
            // client at once, so one POST wakes gunicorn while the next ones land on connections it is closing.
            for (long gapMillis = 1900; gapMillis <= 3300; gapMillis += 200) {
                Thread.sleep(gapMillis); // the gap under test, not a wait for something to happen
                for (var client : clients) {
                    client.send("POST /submit HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
                }
                for (int i = 0; i < clients.size(); i++) {
                    sent++;
                    String outcome;
                    try {
                        var response = clients.get(i).read("POST");
                        outcome = response.status() + " " + response.text().strip();
                    } catch (IOException e) {
                        outcome = e.toString();
                    }
                    if (!outcome.equals("200 got 5")) {
                        failures.add("after " + gapMillis + " ms: " + outcome);
                        clients.get(i).close(); // the proxy closes a connection after its 502: start a fresh one
                        clients.set(i, new HttpTestClient(listener.port()));
                    }
                }
            }
            System.out.printf("%d POSTs to gunicorn spaced 1.9 to 3.3 s apart through the proxy: %d failed %s%n", sent,
                    failures.size(), failures);
            if (!failures.isEmpty()) System.out.println(Files.readString(dir.resolve("gunicorn.log")));
            assertEquals(List.of(), failures, "POSTs that failed");
        } finally {
            for (var client : clients) client.close();
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static boolean accepts(int port) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
