package zdm.client;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * The protocol's framing, as {@code zdm.protocol.Wire} writes and reads it: a 4-byte big-endian
 * length, then that many bytes of JSON, at most 1 MiB. Here for the fast client, which does without
 * the daemon's jar; FastClientTest talks to a daemon that frames with Wire.
 */
final class Frames {
    static final int MAX_BYTES = 1 << 20;

    private Frames() {}

    static void write(WritableByteChannel ch, byte[] body) throws IOException {
        if (body.length > MAX_BYTES) throw new IOException("frame of " + body.length + " bytes exceeds " + MAX_BYTES);
        var buf = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).flip();
        while (buf.hasRemaining()) ch.write(buf);
    }

    /** One frame's body; null on a clean end of stream before its first byte. */
    static byte[] read(ReadableByteChannel ch) throws IOException {
        var header = ByteBuffer.allocate(4);
        while (header.hasRemaining()) {
            if (ch.read(header) < 0) {
                if (header.position() == 0) return null;
                throw new EOFException("connection closed in the middle of a frame");
            }
        }
        int len = header.flip().getInt();
        if (len < 0 || len > MAX_BYTES) throw new IOException("frame length " + Integer.toUnsignedString(len) + " is outside 0.." + MAX_BYTES);
        var body = ByteBuffer.allocate(len);
        while (body.hasRemaining()) {
            if (ch.read(body) < 0) throw new EOFException("connection closed in the middle of a frame");
        }
        return body.array();
    }
}
