package zdm.net;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Checks whether a worker answers an HTTP health request ({@code ready: {http: /health}}). A plain
 * socket rather than java.net.http: that client refuses to set {@code Connection}, keeps pools and
 * threads around, and a probe needs one request with one deadline. Stateless and thread-safe.
 */
public final class HttpProbe {

    /** A status line is short; a peer that sends more without a line end is not an HTTP server. */
    private static final int MAX_STATUS_LINE = 8 * 1024;
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3})(?: .*)?");

    private HttpProbe() {}

    /**
     * GET http://127.0.0.1:port{path} with Host: 127.0.0.1 and Connection: close; true iff a 2xx
     * status line arrives within timeout (which bounds connecting, sending and reading together).
     * Never throws: refused, timed out, malformed, or a path that would not fit in a request line
     * (not starting with "/", or containing spaces or control characters) all give false.
     */
    public static boolean ok(int port, String path, Duration timeout) {
        int status = status(port, path, timeout);
        return status >= 200 && status < 300;
    }

    /**
     * Like {@link #ok}, but any HTTP status counts: the liveness question is whether the worker answers
     * at all (a hung or stopped process does not; one that answers 500 is alive, its errors are the app's).
     */
    public static boolean answers(int port, String path, Duration timeout) {
        return status(port, path, timeout) >= 100;
    }

    /** The status code of the answer, or -1 (see {@link #ok} for what fails). */
    private static int status(int port, String path, Duration timeout) {
        if (path == null || timeout == null || !path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            return -1;
        }
        // Socket timeouts treat 0 as "forever"; a probe must always be bounded.
        long deadline = System.nanoTime() + Math.max(timeout.toNanos(), 1_000_000L);
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(Loopback.IPV4, port), remainingMillis(deadline));
            String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
            // A request this small fits the send buffer of a fresh connection, so the write does not block.
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String statusLine = readLine(socket, deadline);
            if (statusLine == null) return -1;
            var m = STATUS_LINE.matcher(statusLine);
            return m.matches() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException | RuntimeException e) {
            return -1; // refused, reset, timed out, or an out-of-range port: not ok either way
        }
    }

    /** The first line (without CR LF), or null on end of stream, an overlong line or the deadline. */
    private static String readLine(Socket socket, long deadline) throws IOException {
        var in = new BufferedInputStream(socket.getInputStream());
        var line = new ByteArrayOutputStream();
        while (line.size() <= MAX_STATUS_LINE) {
            // Re-arm before each read so that a peer trickling bytes cannot stretch the overall deadline.
            socket.setSoTimeout(remainingMillis(deadline));
            int b = in.read();
            if (b < 0) return null;
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return null;
    }

    /** Milliseconds left, at least 1; throws (a timeout, to the caller's catch) once the deadline has passed. */
    private static int remainingMillis(long deadline) throws java.net.SocketTimeoutException {
        long left = Math.ceilDiv(deadline - System.nanoTime(), 1_000_000L);
        if (left <= 0) throw new java.net.SocketTimeoutException("probe deadline passed");
        return (int) Math.min(left, Integer.MAX_VALUE);
    }
}
