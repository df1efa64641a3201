package zdm.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The control protocol's framing: each message is a 4-byte big-endian length followed by that many
 * bytes of UTF-8 JSON. A request travels inside an {@link Envelope} that carries the protocol
 * version; responses travel bare (the daemon answers in the client's version or refuses).
 *
 * <p>The JSON is written and read with jackson-core's streaming generator and parser, record by record
 * ({@link RequestCodec}, {@link ResponseCodec}), not with Jackson's data binding: the daemon and the CLI
 * then load no data binding for the protocol (~470 classes and their reflection, ~9 MiB of an idle
 * daemon; docs/benchmarks.md), in the same bytes as before (WireCompatibilityTest).
 */
public final class Wire {
    /** Bumped on any incompatible change of {@link Request} or {@link Response}. */
    public static final int PROTOCOL_VERSION = 1;
    /** Larger frames are refused before any byte of them is buffered. */
    public static final int MAX_FRAME_BYTES = 1 << 20;
    /** What a frame's body buffer starts at; it grows with the bytes that arrive. */
    static final int FIRST_CHUNK = 4096;

    /** A request together with the protocol version the client speaks. */
    public record Envelope(int v, Request request) {}

    private Wire() {}

    /** Every request's name on the wire ({@code "type"}) and its record, in the order the protocol grew. */
    public static Map<String, Class<? extends Request>> requestTypes() {
        return RequestCodec.TYPES.byName();
    }

    public static byte[] encode(Envelope envelope) {
        return JsonOut.bytes(g -> {
            g.writeStartObject();
            g.writeNumberField("v", envelope.v());
            g.writeFieldName("request");
            if (envelope.request() == null) g.writeNull();
            else RequestCodec.write(g, envelope.request());
            g.writeEndObject();
        });
    }

    public static byte[] encode(Response response) {
        return JsonOut.bytes(g -> ResponseCodec.write(g, response));
    }

    public static Envelope decodeRequest(byte[] body) throws ProtocolException {
        try {
            if (!(JsonTree.read(body) instanceof Map<?, ?> tree)) throw new ProtocolException("a request must be a JSON object");
            int v = switch (tree.get("v")) {
                case Integer i -> i;
                case Double d when d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE -> d.intValue();
                case null, default -> throw new ProtocolException("a request needs a protocol version \"v\"");
            };
            if (v != PROTOCOL_VERSION) {
                throw new ProtocolException("protocol version " + v + " is not supported (daemon speaks "
                        + PROTOCOL_VERSION + "); run the zdm that matches the daemon, or 'zdm kill' and start again");
            }
            Fields fields = Fields.of(tree.get("request"), "\"request\"");
            if (fields == null) throw new ProtocolException("a request needs \"request\": {\"type\": ...}");
            Request request = RequestCodec.read(fields);
            String missing = RequiredFields.firstMissing(request);
            if (missing != null) throw new ProtocolException("request '" + fields.string("type") + "' needs " + missing);
            return new Envelope(v, request);
        } catch (IOException | RuntimeException e) {
            throw new ProtocolException("malformed request: " + reason(e));
        }
    }

    public static Response decodeResponse(byte[] body) throws ProtocolException {
        try {
            Fields fields = Fields.of(JsonTree.read(body), "a response");
            if (fields == null) throw new ProtocolException("malformed response from the daemon: empty");
            return ResponseCodec.read(fields);
        } catch (IOException | RuntimeException e) {
            throw new ProtocolException("malformed response from the daemon: " + reason(e));
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

    /** What was wrong, on one line (Jackson's parser adds the location on a second). */
    private static String reason(Exception e) {
        String s = e.getMessage();
        if (s == null) return e instanceof NullPointerException ? "a value that cannot be null is missing" : e.toString();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
