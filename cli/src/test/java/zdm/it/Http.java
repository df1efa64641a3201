package zdm.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A minimal HTTP/1.1 client over a real socket: one request per connection, read to EOF. */
public final class Http {
    public record Reply(int status, String body) {}

    private Http() {}

    public static Reply get(int port, String path) throws IOException {
        return get(port, path, 10_000);
    }

    /** {@link #get(int, String)} waiting up to {@code readTimeoutMs} for each read (a request held on purpose). */
    public static Reply get(int port, String path, int readTimeoutMs) throws IOException {
        try (var s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(readTimeoutMs);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            var text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!text.startsWith("HTTP/1.")) throw new IOException("not an HTTP reply: " + text);
            int status = Integer.parseInt(text.substring(9, 12));
            int bodyAt = text.indexOf("\r\n\r\n");
            return new Reply(status, bodyAt < 0 ? "" : text.substring(bodyAt + 4));
        }
    }
}
