package zdm.net;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Streams one message body from a connection to another exactly as framed: the bytes are copied through the
 * source's {@link Inbound} buffer unchanged (chunk sizes, extensions and trailers included) and nothing after the
 * body is consumed, so a pipelined next message stays buffered. Stateless and thread-safe.
 */
final class BodyCopier {
    /** Chunk-size and trailer lines are short; a longer one is an attack or garbage. */
    private static final int MAX_LINE_BYTES = 8 * 1024;

    private BodyCopier() {}

    /**
     * Copies the body, then writes whatever {@code in} still holds forwarded (the head before it, too, if the caller
     * forwarded that): a small response leaves in one write. {@code strict} (a client's body): chunk lines must end
     * in CRLF exactly, as node requires; a worker's is read leniently, as received.
     *
     * @throws EOFException if the source ends before the body does (except for {@link HttpFraming.UntilClose})
     * @throws ProtocolException if the chunked framing is malformed
     */
    static void copy(HttpFraming framing, Inbound in, ReadableByteChannel from, WritableByteChannel to, boolean strict)
            throws IOException {
        switch (framing) {
            case HttpFraming.None none -> { }
            case HttpFraming.Length length -> copyLength(length.bytes(), in, from, to);
            case HttpFraming.Chunked chunked -> copyChunked(in, from, to, strict);
            case HttpFraming.UntilClose untilClose -> copyUntilClose(in, from, to);
        }
        in.flush();
    }

    private static void copyLength(long bytes, Inbound in, ReadableByteChannel from, WritableByteChannel to)
            throws IOException {
        while (bytes > 0) {
            if (in.available() == 0 && in.fill(from) < 0) throw new EOFException("connection closed inside a body");
            int now = (int) Math.min(in.available(), bytes);
            in.forward(to, now);
            bytes -= now;
        }
    }

    private static void copyUntilClose(Inbound in, ReadableByteChannel from, WritableByteChannel to) throws IOException {
        while (in.available() > 0 || in.fill(from) >= 0) in.forward(to, in.available());
    }

    private static void copyChunked(Inbound in, ReadableByteChannel from, WritableByteChannel to, boolean strict)
            throws IOException {
        while (true) {
            int line = in.readLine(from, MAX_LINE_BYTES);
            long size = chunkSize(in.array(), in.position(), line, strict);
            in.forward(to, line);
            if (size == 0) break;
            copyLength(size, in, from, to);
            int end = in.readLine(from, MAX_LINE_BYTES); // the CRLF after the chunk data
            if (end > 2 || (strict && !endsInCrLf(in.array(), in.position(), end))) {
                throw new ProtocolException("chunk data not followed by CRLF");
            }
            in.forward(to, end);
        }
        while (true) { // trailer fields, then the empty line that ends the message
            int line = in.readLine(from, MAX_LINE_BYTES);
            boolean last = line <= 2;
            if (strict && !(last ? endsInCrLf(in.array(), in.position(), line) : isField(in.array(), in.position(), line))) {
                throw new ProtocolException("malformed trailer section");
            }
            in.forward(to, line);
            if (last) return;
        }
    }

    /**
     * The hex size at the start of a chunk line; extensions after ';' are forwarded, not interpreted. Strict: the
     * digits are followed by ';' or CRLF only, and the line holds no other CR.
     */
    private static long chunkSize(byte[] bytes, int offset, int length, boolean strict) throws ProtocolException {
        long size = 0;
        int i = offset;
        for (; i < offset + length; i++) {
            int digit = Character.digit(bytes[i], 16);
            if (digit < 0) break;
            if (i - offset >= 15) throw new ProtocolException("chunk size too large");
            size = size * 16 + digit;
        }
        byte after = bytes[i]; // exists: the line ends with LF, which is not a digit
        boolean separator = strict ? after == ';' || after == '\r'
                : after == ';' || after == ' ' || after == '\t' || after == '\r' || after == '\n';
        if (i == offset || !separator || (strict && !crOnlyAtEnd(bytes, i, offset + length))) {
            throw new ProtocolException("malformed chunk size");
        }
        return size;
    }

    /** Whether the line ends in CRLF and has no other CR. */
    private static boolean crOnlyAtEnd(byte[] bytes, int from, int end) {
        if (!endsInCrLf(bytes, from, end - from)) return false;
        for (int i = from; i < end - 2; i++) {
            if (bytes[i] == '\r') return false;
        }
        return true;
    }

    private static boolean endsInCrLf(byte[] bytes, int offset, int length) {
        return length >= 2 && bytes[offset + length - 2] == '\r';
    }

    /** A trailer field line: a token, a colon, and a CRLF end with no CR before it. */
    private static boolean isField(byte[] bytes, int offset, int length) {
        int i = offset;
        while (i < offset + length && HttpHead.isTokenChar(bytes[i])) i++;
        return i > offset && i < offset + length && bytes[i] == ':' && crOnlyAtEnd(bytes, offset, offset + length);
    }
}
