package zdm.supervisor;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import zdm.config.AppSpecBuilder;
import zdm.net.FreePorts;

/**
 * Fake workers that really listen, behind an app's real public port: the {@link FakeHost}'s next processes take
 * their sockets ({@link FakeHost#privatePorts}), each answers a request with its name (or holds it), so where a
 * request lands says which workers the proxy's rotation holds, and a held one keeps a connection open for a drain to
 * wait for. Processes and time stay fake. Close it before the fixture.
 */
final class ProxiedWorkers implements AutoCloseable {
    private final java.util.function.Supplier<SupervisorFixture> fixture;
    private final List<Responder> responders = new ArrayList<>();
    /** The public port of the app {@link #web} built. */
    int port;

    /** {@code fixture}: the test's fixture, made before each test (so a field of the test class can hold these). */
    ProxiedWorkers(java.util.function.Supplier<SupervisorFixture> fixture) {
        this.fixture = fixture;
    }

    /** A fake worker's socket: answers each request with {@code name}, or holds it while {@link #hold} is set. */
    static final class Responder implements AutoCloseable {
        final String name;
        final ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        /** Requests whose head arrived. */
        final AtomicInteger received = new AtomicInteger();
        volatile CountDownLatch hold;

        Responder(String name) throws IOException {
            this.name = name;
            Thread.ofPlatform().daemon().start(this::acceptAll);
        }

        private void acceptAll() {
            while (!server.isClosed()) {
                try {
                    var s = server.accept();
                    Thread.ofPlatform().daemon().start(() -> answer(s));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void answer(Socket s) {
            try (s) {
                readHead(s.getInputStream());
                received.incrementAndGet();
                var held = hold;
                if (held != null) held.await(30, TimeUnit.SECONDS);
                s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + name.length()
                        + "\r\nConnection: close\r\n\r\n" + name).getBytes(ISO_8859_1));
            } catch (IOException | InterruptedException e) {
                // the proxy went away: nothing to answer
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) return;
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
    }

    /** The next processes of the app listen on these, in order. */
    Responder listening(String name) throws IOException {
        var r = new Responder(name);
        responders.add(r);
        fixture.get().host.privatePorts.add(r.server.getLocalPort());
        return r;
    }

    /** The app "web" with {@code instances} workers on a free public port. */
    AppSpecBuilder web(int instances) throws IOException {
        port = FreePorts.reserve();
        return SupervisorFixture.spec("web").port(port).instances(instances);
    }

    /** One request through the app's port: the name of the worker that answered, or what came instead. */
    String request() {
        try (var s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".getBytes(ISO_8859_1));
            var text = new String(s.getInputStream().readAllBytes(), ISO_8859_1);
            int body = text.indexOf("\r\n\r\n");
            return text.startsWith("HTTP/1.1 200") && body >= 0 ? text.substring(body + 4) : "(answer: " + text.lines().findFirst().orElse("none") + ")";
        } catch (SocketTimeoutException e) {
            return "(no answer in 10 s)";
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    /** Waits until {@code r} holds one request and the proxy counts its one connection to the workers (what a drain waits for). */
    void awaitHeld(Responder r, long deadline) throws InterruptedException {
        while ((r.received.get() != 1 || openConnections() != 1) && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(1, r.received.get(), "the held request reached " + r.name);
        assertEquals(1, openConnections(), "connections to the workers");
    }

    int openConnections() {
        return fixture.get().on(() -> fixture.get().sup.registry().apps().get("web").listener().openConnections().values().stream()
                .mapToInt(Integer::intValue).sum());
    }

    /** Who answered {@code n} requests, one after another (the proxy takes its backends in turn); stops at a failed one. */
    Set<String> answerers(int n) {
        var names = new TreeSet<String>();
        for (int i = 0; i < n; i++) {
            var who = request();
            names.add(who);
            if (who.startsWith("(")) break;
        }
        return names;
    }

    /** Closes every app's port, then the workers' sockets. */
    @Override
    public void close() {
        fixture.get().onLoop(() -> fixture.get().sup.registry().apps().values().forEach(App::closeListener));
        responders.forEach(Responder::close);
    }
}
