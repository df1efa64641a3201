package zdm.net;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP/1.1 worker stand-in on 127.0.0.1 (keep-alive, Content-Length and chunked both ways, 100-continue),
 * one virtual thread per connection. Every response carries {@code X-Worker: <id>}. Routes:
 * <ul>
 *   <li>{@code /id}: 200 "worker N"</li>
 *   <li>{@code /hold}: like /id, but only once the test calls {@link #release()}</li>
 *   <li>{@code /echo}: 200, the request body sent back chunked</li>
 *   <li>{@code /chunked/N}: 200, N bytes of {@link #payload(int)} in chunks of varying size</li>
 *   <li>{@code /status/N}: status N without a body (304 with a Content-Length the proxy must ignore)</li>
 *   <li>{@code /bye}: 200, then the connection is closed without warning (an idle keep-alive timeout)</li>
 *   <li>{@code /close}: 200 with {@code Connection: close}, then the connection is closed</li>
 *   <li>{@code /drop-once}: the first time, the connection is closed without a response; then like /id</li>
 *   <li>{@code /drop}: the connection is always closed without a response</li>
 *   <li>{@code /until-close}: 200 without length; the body ends when the connection closes</li>
 *   <li>{@code /upgrade}: 101, then an echo of raw bytes</li>
 * </ul>
 */
final class HttpTestBackend implements AutoCloseable {
    final int workerId;
    /** Every request head received, as text. */
    final List<String> heads = new CopyOnWriteArrayList<>();
    private final ServerSocketChannel server;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Semaphore held = new Semaphore(0);
    private final AtomicInteger holding = new AtomicInteger();
    private final AtomicBoolean dropped = new AtomicBoolean();

    HttpTestBackend(int workerId) throws IOException {
        this.workerId = workerId;
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread.ofVirtual().start(this::acceptLoop);
    }

    Backend backend() {
        try {
            return new Backend(workerId, ((InetSocketAddress) server.getLocalAddress()).getPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int accepted() {
        return accepted.get();
    }

    /** Requests to /hold currently waiting for {@link #release()}. */
    int holding() {
        return holding.get();
    }

    void release() {
        held.release(1000);
    }

    /** Deterministic test content: n bytes from a seeded generator. */
    static byte[] payload(int n) {
        var bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel connection;
            try {
                connection = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            connections.add(connection);
            Thread.ofVirtual().start(() -> {
                try (connection) {
                    var socket = connection.socket();
                    socket.setTcpNoDelay(true); // a head and a body in two writes must not wait for a delayed ACK
                    serve(new BufferedInputStream(socket.getInputStream()), socket.getOutputStream());
                } catch (IOException | InterruptedException e) {
                    // the proxy went away or the test closed us: fine for a test backend
                } finally {
                    connections.remove(connection);
                }
            });
        }
    }

    private void serve(InputStream in, OutputStream out) throws IOException, InterruptedException {
        while (true) {
            String head = readHead(in);
            if (head == null) return;
            heads.add(head);
            var lines = head.split("\r\n");
            var requestLine = lines[0].split(" ");
            String method = requestLine[0];
            String path = requestLine[1];
            var headers = new LinkedHashMap<String, String>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
            if (path.equals("/drop") || (path.equals("/drop-once") && dropped.compareAndSet(false, true))) return;
            if ("100-continue".equalsIgnoreCase(headers.get("expect"))) write(out, "HTTP/1.1 100 Continue\r\n\r\n");
            byte[] body = readBody(in, headers);
            boolean close = "close".equalsIgnoreCase(headers.get("connection"))
                    || (requestLine[2].equals("HTTP/1.0") && !"keep-alive".equalsIgnoreCase(headers.get("connection")));
            if (!respond(method, path, body, out)) {
                if (path.equals("/upgrade")) in.transferTo(out); // now a raw echo until the client's EOF
                return;
            }
            if (close) return;
        }
    }

    /** @return whether the connection stays open */
    private boolean respond(String method, String path, byte[] body, OutputStream out)
            throws IOException, InterruptedException {
        String worker = "X-Worker: " + workerId + "\r\n";
        byte[] id = ("worker " + workerId).getBytes(StandardCharsets.US_ASCII);
        if (path.equals("/hold")) {
            holding.incrementAndGet();
            try {
                if (!held.tryAcquire(20, TimeUnit.SECONDS)) return false;
            } finally {
                holding.decrementAndGet();
            }
        }
        if (path.equals("/id") || path.equals("/hold") || path.equals("/drop-once") || path.equals("/bye")) {
            write(out, "HTTP/1.1 200 OK\r\n" + worker + "Content-Length: " + id.length + "\r\n\r\n");
            if (!method.equals("HEAD")) out.write(id);
            out.flush();
            return !path.equals("/bye");
        }
        if (path.equals("/close")) {
            write(out, "HTTP/1.1 200 OK\r\n" + worker + "Connection: close\r\nContent-Length: " + id.length + "\r\n\r\n");
            out.write(id);
            out.flush();
            return false;
        }
        if (path.equals("/echo")) {
            writeChunked(out, worker, body);
            return true;
        }
        if (path.startsWith("/chunked/")) {
            writeChunked(out, worker, payload(Integer.parseInt(path.substring("/chunked/".length()))));
            return true;
        }
        if (path.startsWith("/status/")) {
            String status = path.substring("/status/".length());
            String length = status.equals("304") ? "Content-Length: 1234\r\n" : "";
            write(out, "HTTP/1.1 " + status + " Whatever\r\n" + worker + length + "\r\n");
            return true;
        }
        if (path.equals("/until-close")) {
            write(out, "HTTP/1.1 200 OK\r\n" + worker + "\r\n");
            out.write(id);
            out.flush();
            return false;
        }
        if (path.equals("/upgrade")) {
            write(out, "HTTP/1.1 101 Switching Protocols\r\n" + worker + "Connection: Upgrade\r\nUpgrade: echo\r\n\r\n");
            return false;
        }
        write(out, "HTTP/1.1 404 Not Found\r\n" + worker + "Content-Length: 0\r\n\r\n");
        return true;
    }

    private static void writeChunked(OutputStream out, String worker, byte[] body) throws IOException {
        write(out, "HTTP/1.1 200 OK\r\n" + worker + "Transfer-Encoding: chunked\r\n\r\n");
        var random = new Random(body.length);
        for (int at = 0; at < body.length; ) {
            int size = Math.min(body.length - at, 1 + random.nextInt(100_000));
            out.write((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, size);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            at += size;
        }
        write(out, "0\r\nX-Trailer: done\r\n\r\n");
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** The head without its final empty line, or null on EOF before a byte. */
    static String readHead(InputStream in) throws IOException {
        var head = new StringBuilder();
        while (true) {
            String line = readLine(in);
            if (line == null) {
                if (head.isEmpty()) return null;
                throw new EOFException("closed inside a head");
            }
            if (line.isEmpty()) return head.toString();
            if (!head.isEmpty()) head.append("\r\n");
            head.append(line);
        }
    }

    static String readLine(InputStream in) throws IOException {
        var line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) return line.isEmpty() ? null : line.toString();
            if (b != '\r') line.append((char) b);
        }
        return line.toString();
    }

    static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) return readChunked(in);
        String length = headers.get("content-length");
        return length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
    }

    static byte[] readChunked(InputStream in) throws IOException {
        var body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) throw new EOFException("closed inside a chunked body");
            int size = Integer.parseInt(sizeLine.split(";")[0].strip(), 16);
            if (size == 0) break;
            body.write(in.readNBytes(size));
            readLine(in);
        }
        while (true) { // trailers
            String line = readLine(in);
            if (line == null || line.isEmpty()) return body.toByteArray();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        release();
        for (var connection : connections) connection.close();
    }
}
