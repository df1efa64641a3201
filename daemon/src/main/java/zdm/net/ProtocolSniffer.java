package zdm.net;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decides from a client's first bytes whether it speaks HTTP/1.x, for {@link ProxyProtocol#AUTO}. The bytes
 * classified stay in the connection's buffer, so whichever mode follows forwards them. Stateless and
 * thread-safe.
 */
final class ProtocolSniffer {
    /** A client silent this long is taken to wait for the server to speak first (SMTP, MySQL, ...): a tunnel. */
    static final int SILENCE_MILLIS = 1_000;

    enum Verdict { HTTP, OTHER, UNDECIDED }

    private static final List<byte[]> KNOWN_METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH",
            "OPTIONS", "TRACE", "CONNECT").stream().map(m -> m.getBytes(StandardCharsets.US_ASCII)).toList();
    private static final byte[] VERSION_PREFIX = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);
    /** Longer than any real method; a longer token is some other protocol. */
    private static final int MAX_METHOD_BYTES = 24;

    private ProtocolSniffer() {}

    /** The verdict on a client's unread bytes, at most {@code maxHeadBytes} of them (the buffer is left as it was). */
    static Verdict classify(ByteBuf unread, int maxHeadBytes) {
        int length = Math.min(unread.readableBytes(), maxHeadBytes);
        var bytes = new byte[length];
        unread.getBytes(unread.readerIndex(), bytes);
        var verdict = classify(bytes, 0, length);
        // A buffer full of what still looks like a request line: HTTP, where it gets 431.
        return verdict == Verdict.UNDECIDED && length == maxHeadBytes ? Verdict.HTTP : verdict;
    }

    /**
     * {@code METHOD SP target SP HTTP/1.x}: a known method with any target, or any token with an origin-form target
     * ("/..."). "PRI * HTTP/2.0" (the HTTP/2 preface) and a TLS record (0x16 0x03 ...) fail at the first byte that
     * differs.
     */
    static Verdict classify(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end && HttpHead.isTokenChar(bytes[i])) i++;
        int methodLength = i - offset;
        if (methodLength > MAX_METHOD_BYTES) return Verdict.OTHER;
        if (i == end) return Verdict.UNDECIDED;
        if (methodLength == 0 || bytes[i] != ' ') return Verdict.OTHER;
        boolean known = isKnownMethod(bytes, offset, methodLength);
        int targetStart = ++i;
        if (i == end) return Verdict.UNDECIDED;
        if (!known && bytes[i] != '/') return Verdict.OTHER;
        while (i < end && bytes[i] != ' ' && (bytes[i] & 0xff) > ' ' && bytes[i] != 127) i++;
        if (i == end) return Verdict.UNDECIDED;
        if (i == targetStart || bytes[i] != ' ') return Verdict.OTHER;
        i++;
        for (int k = 0; k < VERSION_PREFIX.length; k++, i++) {
            if (i == end) return Verdict.UNDECIDED;
            if (bytes[i] != VERSION_PREFIX[k]) return Verdict.OTHER;
        }
        if (i == end) return Verdict.UNDECIDED;
        return bytes[i] >= '0' && bytes[i] <= '9' ? Verdict.HTTP : Verdict.OTHER;
    }

    private static boolean isKnownMethod(byte[] bytes, int offset, int length) {
        for (var method : KNOWN_METHODS) {
            if (java.util.Arrays.equals(method, 0, method.length, bytes, offset, offset + length)) return true;
        }
        return false;
    }
}
