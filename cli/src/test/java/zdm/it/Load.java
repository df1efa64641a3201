package zdm.it;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Continuous HTTP load from concurrent clients on real sockets, counting every request that did not
 * end in a complete 200 response. Keep-alive clients reuse one connection as long as the server
 * allows (reconnecting only after a response that closed it); the others open one per request.
 */
public final class Load implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> clients = new ArrayList<>();
    private final int port;
    private final boolean keepAlive;

    private final long pauseNanos;
    /** How long a new connection stays silent before its first request (0: none). */
    private long silenceNanos;
    /** Whether a request that a reused connection lost before any byte of its response is sent again (see retryingStale). */
    private boolean retryStale;
    private final long startNanos = System.nanoTime();
    private final java.time.Instant startTime = java.time.Instant.now();

    private Load(int port, boolean keepAlive, java.time.Duration pause) {
        this.port = port;
        this.keepAlive = keepAlive;
        this.pauseNanos = pause.toNanos();
    }

    public static Load start(int port, int clients, boolean keepAlive) {
        return start(port, clients, keepAlive, java.time.Duration.ZERO);
    }

    /**
     * Clients that wait {@code pause} after each response: requests still follow each other closely (a keep-alive
     * connection is rarely idle for long), at a fraction of the CPU of back-to-back requests, for tests that run
     * several loads at once.
     */
    public static Load start(int port, int clients, boolean keepAlive, java.time.Duration pause) {
        var load = new Load(port, keepAlive, pause);
        for (int i = 0; i < clients; i++) load.clients.add(Thread.ofVirtual().start(load::client));
        return load;
    }

    /**
     * Clients that stay silent for {@code silence} after each connect before their first request, as a browser's
     * preconnect does, or a client stalled on a busy machine.
     */
    public static Load startSilentFirst(int port, int clients, boolean keepAlive, java.time.Duration silence) {
        var load = new Load(port, keepAlive, java.time.Duration.ZERO);
        load.silenceNanos = silence.toNanos();
        for (int i = 0; i < clients; i++) load.clients.add(Thread.ofVirtual().start(load::client));
        return load;
    }

    /**
     * Keep-alive clients that do what browsers, curl and Go's net/http do when a server closes an idle keep-alive
     * connection just as they reuse it (RFC 9110 9.2.2, RFC 9112 9.3.1): a GET that a reused connection lost before
     * any byte of its response is sent again, once, on a new connection. Such requests count in {@link #retried()},
     * not as failed; a retry that fails too, a reset after part of a response, or any failure on a new connection
     * still counts as failed. For servers that close idle connections at once on their stop signal (uvicorn, puma):
     * the race is theirs, and a client of this kind never sees it.
     */
    public static Load startRetryingStale(int port, int clients, java.time.Duration pause) {
        var load = new Load(port, true, pause);
        load.retryStale = true;
        for (int i = 0; i < clients; i++) load.clients.add(Thread.ofVirtual().start(load::client));
        return load;
    }

    public long ok() { return ok.get(); }
    /** Requests sent again after a reused connection lost them before their response (only with startRetryingStale). */
    public long retried() { return retried.get(); }
    public long failed() { return failed.get(); }
    public List<String> failures() { return List.copyOf(failures); }

    private void client() {
        Socket s = null;
        var request = new Request();
        while (running.get()) {
            request.begin(s != null);
            try {
                if (s == null) {
                    s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                    s.setSoTimeout(15_000);
                    if (silenceNanos > 0) java.util.concurrent.locks.LockSupport.parkNanos(silenceNanos);
                }
                boolean open = exchange(s, request);
                ok.incrementAndGet();
                if (pauseNanos > 0) java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos);
                if (!open || !keepAlive) {
                    s.close();
                    s = null;
                }
            } catch (IOException | RuntimeException e) {
                if (retryStale && e instanceof IOException && request.lostBeforeResponse()) {
                    retried.incrementAndGet(); // the next round sends it again, on a new connection
                } else {
                    failed.incrementAndGet();
                    if (failures.size() < 20) failures.add(request.describe(e));
                }
                try {
                    if (s != null) s.close();
                } catch (IOException ignored) {
                    // already broken
                }
                s = null;
            }
        }
        try {
            if (s != null) s.close();
        } catch (IOException ignored) {
            // done
        }
    }

    /**
     * What one request has seen so far, so that a failure says where it broke (connect, send, response head or body),
     * when (to set beside the daemon's events) and after how long.
     */
    private final class Request {
        long began;
        boolean reused;
        String stage;
        int headBytes;

        void begin(boolean reusedConnection) {
            began = System.nanoTime();
            reused = reusedConnection;
            stage = reused ? "send" : "connect";
            headBytes = 0;
        }

        /** A reused connection closed or reset before the response's first byte: the server never took the request. */
        boolean lostBeforeResponse() {
            return reused && headBytes == 0 && (stage.equals("send") || stage.equals("response head"));
        }

        String describe(Exception e) {
            return String.format("%s at %s after %d ms (%s connection, %s, %d response head bytes)", e,
                    startTime.plusNanos(began - startNanos), (System.nanoTime() - began) / 1_000_000,
                    reused ? "reused" : "new", stage, headBytes);
        }
    }

    /** One request and its complete 200 response; returns whether the connection may be reused. */
    private boolean exchange(Socket s, Request request) throws IOException {
        request.stage = "send";
        OutputStream out = s.getOutputStream();
        out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (keepAlive ? "" : "Connection: close\r\n") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        request.stage = "response head";
        InputStream in = new BufferedInputStream(s.getInputStream(), 1); // unbuffered: the socket is reused
        String head = readHead(in, request);
        request.stage = "response body";
        if (!head.startsWith("HTTP/1.1 200")) throw new IOException("status: " + head.lines().findFirst().orElse(""));
        String lower = head.toLowerCase();
        int cl = lower.indexOf("content-length:");
        if (cl >= 0) {
            int len = Integer.parseInt(lower.substring(cl + 15, lower.indexOf('\r', cl)).trim());
            if (in.readNBytes(len).length != len) throw new IOException("truncated body");
        } else if (lower.contains("transfer-encoding: chunked")) {
            while (true) {
                int size = Integer.parseInt(readLine(in).trim(), 16);
                in.readNBytes(size + 2);
                if (size == 0) break;
            }
        } else {
            in.readAllBytes();
            return false;
        }
        return !lower.contains("connection: close");
    }

    private static String readHead(InputStream in, Request request) throws IOException {
        var sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed " + (sb.isEmpty() ? "before the response" : "in the response head"));
            sb.append((char) b);
            request.headBytes++;
        }
        return sb.toString();
    }

    private static String readLine(InputStream in) throws IOException {
        var sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed in a chunk");
            sb.append((char) b);
        }
        return sb.toString();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (var t : clients) t.join(30_000);
    }

    @Override
    public String toString() {
        return ok() + " ok, " + failed() + " failed" + (retryStale ? ", " + retried() + " retried" : "") + " " + failures();
    }
}
