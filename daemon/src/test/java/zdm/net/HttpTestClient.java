package zdm.net;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A raw HTTP/1.1 client of the public port on 127.0.0.1; every read is bounded by a socket timeout. */
final class HttpTestClient implements AutoCloseable {
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    /** A response; header names lower-cased. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }

        String worker() {
            return headers.get("x-worker");
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    HttpTestClient(int port) throws IOException {
        socket = new Socket();
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    Response get(String path) throws IOException {
        send("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n");
        return read("GET");
    }

    /** Reads one response (interim ones included, as their own response) to a request with this method. */
    Response read(String method) throws IOException {
        String head = HttpTestBackend.readHead(in);
        if (head == null) throw new IOException("connection closed before a response");
        var lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        var headers = new LinkedHashMap<String, String>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        byte[] body;
        if (method.equals("HEAD") || status < 200 || status == 204 || status == 304) {
            body = new byte[0];
        } else if (headers.containsKey("transfer-encoding") || headers.containsKey("content-length")) {
            body = HttpTestBackend.readBody(in, headers);
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, body);
    }

    /** Raw bytes, e.g. after an upgrade. */
    byte[] readBytes(int n) throws IOException {
        return in.readNBytes(n);
    }

    /** True if the server closed the connection (EOF or reset) rather than sending anything within the timeout. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    /** Sends a chunked body in chunks of varying size. */
    void sendChunked(byte[] body) throws IOException {
        var buffered = new ByteArrayOutputStream();
        for (int at = 0, size = 1; at < body.length; at += size, size = Math.min(size * 3 + 7, 200_000)) {
            size = Math.min(size, body.length - at);
            buffered.write((Integer.toHexString(size) + ";ext=1\r\n").getBytes(StandardCharsets.US_ASCII));
            buffered.write(body, at, size);
            buffered.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            if (buffered.size() > 64 * 1024) {
                send(buffered.toByteArray());
                buffered.reset();
            }
        }
        buffered.write("0\r\nX-Sum: 1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        send(buffered.toByteArray());
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
