package zdm.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * The control protocol's framing: each message is a 4-byte big-endian length followed by that many
 * bytes of UTF-8 JSON. A request travels inside an {@link Envelope} that carries the protocol
 * version; responses travel bare (the daemon answers in the client's version or refuses).
 */
public final class Wire {
    /** Bumped on any incompatible change of {@link Request} or {@link Response}. */
    public static final int PROTOCOL_VERSION = 1;
    /** Larger frames are refused before any byte of them is buffered. */
    public static final int MAX_FRAME_BYTES = 1 << 20;
    /** What a frame's body buffer starts at; it grows with the bytes that arrive. */
    static final int FIRST_CHUNK = 4096;

    /**
     * Created on first use, not when the framing below is: building the mapper is a third of a short
     * CLI run's time, and the CLI's quick path (zdm.cli.QuickCommands) frames without it.
     */
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /** A request together with the protocol version the client speaks. */
    public record Envelope(int v, Request request) {}

    private Wire() {}

    public static ObjectMapper json() {
        return Mapper.JSON;
    }

    public static byte[] encode(Object message) {
        try {
            return Mapper.JSON.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    public static Envelope decodeRequest(byte[] body) throws ProtocolException {
        try {
            var tree = Mapper.JSON.readTree(body);
            if (tree == null || !tree.isObject()) throw new ProtocolException("a request must be a JSON object");
            var v = tree.get("v");
            if (v == null || !v.canConvertToInt()) throw new ProtocolException("a request needs a protocol version \"v\"");
            if (v.asInt() != PROTOCOL_VERSION) {
                throw new ProtocolException("protocol version " + v.asInt() + " is not supported (daemon speaks "
                        + PROTOCOL_VERSION + "); run the zdm that matches the daemon, or 'zdm kill' and start again");
            }
            var envelope = Mapper.JSON.treeToValue(tree, Envelope.class);
            if (envelope.request() == null) throw new ProtocolException("a request needs \"request\": {\"type\": ...}");
            String missing = RequiredFields.firstMissing(envelope.request());
            if (missing != null) {
                throw new ProtocolException("request '" + tree.get("request").path("type").asText() + "' needs " + missing);
            }
            return envelope;
        } catch (ProtocolException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new ProtocolException("malformed request: " + firstLine(e.getMessage()));
        }
    }

    public static Response decodeResponse(byte[] body) throws ProtocolException {
        try {
            return Mapper.JSON.readValue(body, Response.class);
        } catch (IOException e) {
            throw new ProtocolException("malformed response from the daemon: " + firstLine(e.getMessage()));
        }
    }

    public static void writeFrame(WritableByteChannel ch, byte[] body) throws IOException {
        if (body.length > MAX_FRAME_BYTES) throw new IOException("frame of " + body.length + " bytes exceeds " + MAX_FRAME_BYTES);
        var buf = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).flip();
        while (buf.hasRemaining()) ch.write(buf);
    }

    /** Reads one frame; returns null on a clean end of stream before the first byte. */
    public static byte[] readFrame(ReadableByteChannel ch) throws IOException, ProtocolException {
        return readFrame(ch, FrameBudget.UNLIMITED);
    }

    /**
     * Reads one frame, holding at most what has arrived: the buffer starts small and doubles as the
     * body comes in, so a length prefix alone costs {@link #FIRST_CHUNK} bytes, not the length it
     * announces. Every byte held counts against {@code budget} until the frame is complete or fails.
     */
    public static byte[] readFrame(ReadableByteChannel ch, FrameBudget budget) throws IOException, ProtocolException {
        var header = ByteBuffer.allocate(4);
        if (!readFully(ch, header, true)) return null;
        int len = header.flip().getInt();
        if (len < 0 || len > MAX_FRAME_BYTES) {
            throw new ProtocolException("frame length " + Integer.toUnsignedString(len) + " is outside 0.." + MAX_FRAME_BYTES);
        }
        int held = Math.min(len, FIRST_CHUNK);
        budget.reserve(held);
        try {
            var body = new byte[held];
            int pos = 0;
            while (pos < len) {
                if (pos == body.length) {
                    int next = (int) Math.min(len, 2L * body.length);
                    budget.reserve(next - held);
                    held = next;
                    body = java.util.Arrays.copyOf(body, next);
                }
                int n = ch.read(ByteBuffer.wrap(body, pos, body.length - pos));
                if (n < 0) throw new EOFException("connection closed in the middle of a frame");
                pos += n;
            }
            return body;
        } finally {
            budget.release(held);
        }
    }

    public static void send(WritableByteChannel ch, Request request) throws IOException {
        writeFrame(ch, encode(new Envelope(PROTOCOL_VERSION, request)));
    }

    public static void send(WritableByteChannel ch, Response response) throws IOException {
        writeFrame(ch, encode(response));
    }

    private static boolean readFully(ReadableByteChannel ch, ByteBuffer buf, boolean eofOkAtStart) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                if (eofOkAtStart && buf.position() == 0) return false;
                throw new EOFException("connection closed in the middle of a frame");
            }
        }
        return true;
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable JSON";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
