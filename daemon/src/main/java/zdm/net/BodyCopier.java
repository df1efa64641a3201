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
     * forwarded that): a small response leaves in one write.
     *
     * @throws EOFException if the source ends before the body does (except for {@link HttpFraming.UntilClose})
     */
    static void copy(HttpFraming framing, Inbound in, ReadableByteChannel from, WritableByteChannel to) throws IOException {
        switch (framing) {
            case HttpFraming.None none -> { }
            case HttpFraming.Length length -> copyLength(length.bytes(), in, from, to);
            case HttpFraming.Chunked chunked -> copyChunked(in, from, to);
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

    private static void copyChunked(Inbound in, ReadableByteChannel from, WritableByteChannel to) throws IOException {
        while (true) {
            int line = in.readLine(from, MAX_LINE_BYTES);
            long size = chunkSize(in.array(), in.position(), line);
            in.forward(to, line);
            if (size == 0) break;
            copyLength(size, in, from, to);
            int end = in.readLine(from, MAX_LINE_BYTES); // the CRLF after the chunk data
            if (end > 2) throw new ProtocolException("chunk data longer than its size");
            in.forward(to, end);
        }
        while (true) { // trailer fields, then the empty line that ends the message
            int line = in.readLine(from, MAX_LINE_BYTES);
            boolean last = line <= 2;
            in.forward(to, line);
            if (last) return;
        }
    }

    /** The hex size at the start of a chunk line; extensions after ';' are forwarded, not interpreted. */
    private static long chunkSize(byte[] bytes, int offset, int length) throws ProtocolException {
        long size = 0;
        int i = offset;
        for (; i < offset + length; i++) {
            int digit = Character.digit(bytes[i], 16);
            if (digit < 0) break;
            if (i - offset >= 15) throw new ProtocolException("chunk size too large");
            size = size * 16 + digit;
        }
        byte after = bytes[i]; // exists: the line ends with LF, which is not a digit
        if (i == offset || (after != ';' && after != ' ' && after != '\t' && after != '\r' && after != '\n')) {
            throw new ProtocolException("malformed chunk size");
        }
        return size;
    }
}
