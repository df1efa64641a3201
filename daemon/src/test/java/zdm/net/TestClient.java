package zdm.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A client of the public port on 127.0.0.1; every read is bounded by a socket timeout so tests cannot hang. */
final class TestClient implements AutoCloseable {
    private static final int READ_TIMEOUT_MILLIS = 10_000;
    private final Socket socket;

    TestClient(int port) throws IOException {
        socket = new Socket();
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
    }

    /** Sends payload and half-closes on a separate thread while reading the whole reply here (no buffer deadlock). */
    static byte[] exchange(int port, byte[] payload) throws Exception {
        try (var client = new TestClient(port)) {
            var writer = Thread.ofVirtual().start(() -> {
                try {
                    client.send(payload);
                    client.socket.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            byte[] reply = client.readAll();
            writer.join();
            return reply;
        }
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.US_ASCII));
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Reads one '\n'-terminated line (without the newline); null on EOF before any byte. */
    String readLine() throws IOException {
        var line = new ByteArrayOutputStream();
        var in = socket.getInputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    byte[] readAll() throws IOException {
        return socket.getInputStream().readAllBytes();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
