package zdm.net;

import io.netty.buffer.ByteBuf;
import java.net.ProtocolException;

/**
 * Finds where one message body ends in bytes that arrive piece by piece, as framed (RFC 9112 §6-7), so the proxy can
 * forward the body unchanged (chunk sizes, extensions and trailers included) and leave what follows it, a pipelined
 * next message, where it is. {@code strict} (a client's body): chunk lines must end in CRLF exactly and trailers be
 * fields, as node requires; a worker's body is read leniently, as received. Not thread-safe: one message at a time.
 */
final class BodyScanner {
    /** Chunk-size and trailer lines are short; a longer one is an attack or garbage. */
    static final int MAX_LINE_BYTES = 8 * 1024;

    private enum Part { SIZE_LINE, DATA, DATA_END, TRAILER, DONE, UNTIL_CLOSE }

    private final boolean strict;
    private boolean chunked;
    private Part part;
    private long remaining;

    BodyScanner(boolean strict) {
        this.strict = strict;
    }

    /** A scanner of its own for one body (see {@link #start}). */
    static BodyScanner of(HttpFraming framing, boolean strict) {
        return new BodyScanner(strict).start(framing);
    }

    /**
     * Scans the next body, framed so, from its start, whatever the last one left (an {@link Exchange} keeps its
     * scanners from one exchange to the next). @return this
     */
    BodyScanner start(HttpFraming framing) {
        remaining = 0;
        chunked = false;
        switch (framing) {
            case HttpFraming.None none -> part = Part.DONE;
            case HttpFraming.Length length -> {
                part = Part.DATA;
                remaining = length.bytes();
            }
            case HttpFraming.Chunked c -> {
                part = Part.SIZE_LINE;
                chunked = true;
            }
            case HttpFraming.UntilClose u -> part = Part.UNTIL_CLOSE;
        }
        return this;
    }

    /** Whether the whole body has been scanned. */
    boolean done() {
        return part == Part.DONE;
    }

    /** Whether the body ends only when its sender closes the connection. */
    boolean untilClose() {
        return part == Part.UNTIL_CLOSE;
    }

    /**
     * Scans the readable bytes of {@code in} (without consuming them) as far as they belong to the body; a line that
     * has not fully arrived is left for the next call.
     *
     * @return how many bytes from {@code in}'s reader index are body
     * @throws ProtocolException if the chunked framing is malformed
     */
    int scan(ByteBuf in) throws ProtocolException {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int at = start;
        while (at < end) {
            switch (part) {
                case DONE -> { return at - start; }
                case UNTIL_CLOSE -> { return end - start; }
                case DATA -> {
                    int now = (int) Math.min(remaining, end - at);
                    at += now;
                    remaining -= now;
                    if (remaining == 0) part = chunked ? Part.DATA_END : Part.DONE;
                }
                default -> {
                    int lf = in.indexOf(at, Math.min(end, at + MAX_LINE_BYTES), (byte) '\n');
                    if (lf < 0) {
                        if (end - at >= MAX_LINE_BYTES) throw new ProtocolException("chunk line too long");
                        return at - start;
                    }
                    line(in, at, lf + 1 - at);
                    at = lf + 1;
                }
            }
        }
        return at - start;
    }

    /** One complete line (its LF included) of the chunked framing. */
    private void line(ByteBuf in, int from, int length) throws ProtocolException {
        switch (part) {
            case SIZE_LINE -> {
                remaining = chunkSize(in, from, length);
                part = remaining == 0 ? Part.TRAILER : Part.DATA;
            }
            case DATA_END -> {
                if (length > 2 || (strict && !endsInCrLf(in, from, length))) {
                    throw new ProtocolException("chunk data not followed by CRLF");
                }
                part = Part.SIZE_LINE;
            }
            case TRAILER -> {
                boolean last = length <= 2;
                if (strict && !(last ? endsInCrLf(in, from, length) : isField(in, from, length))) {
                    throw new ProtocolException("malformed trailer section");
                }
                if (last) part = Part.DONE;
            }
            default -> throw new IllegalStateException(part.name());
        }
    }

    /**
     * The hex size at the start of a chunk line; extensions after ';' are forwarded, not interpreted. Strict: the
     * digits are followed by ';' or CRLF only, and the line holds no other CR.
     */
    private long chunkSize(ByteBuf in, int from, int length) throws ProtocolException {
        long size = 0;
        int i = from;
        for (; i < from + length; i++) {
            int digit = Character.digit(in.getByte(i), 16);
            if (digit < 0) break;
            if (i - from >= 15) throw new ProtocolException("chunk size too large");
            size = size * 16 + digit;
        }
        byte after = in.getByte(i); // exists: the line ends with LF, which is not a digit
        boolean separator = strict ? after == ';' || after == '\r'
                : after == ';' || after == ' ' || after == '\t' || after == '\r' || after == '\n';
        if (i == from || !separator || (strict && !crOnlyAtEnd(in, i, from + length))) {
            throw new ProtocolException("malformed chunk size");
        }
        return size;
    }

    /** Whether the line ends in CRLF and has no other CR. */
    private static boolean crOnlyAtEnd(ByteBuf in, int from, int end) {
        if (!endsInCrLf(in, from, end - from)) return false;
        for (int i = from; i < end - 2; i++) {
            if (in.getByte(i) == '\r') return false;
        }
        return true;
    }

    private static boolean endsInCrLf(ByteBuf in, int from, int length) {
        return length >= 2 && in.getByte(from + length - 2) == '\r';
    }

    /** A trailer field line: a token, a colon, and a CRLF end with no CR before it. */
    private static boolean isField(ByteBuf in, int from, int length) {
        int i = from;
        while (i < from + length && HttpHead.isTokenChar(in.getByte(i))) i++;
        return i > from && i < from + length && in.getByte(i) == ':' && crOnlyAtEnd(in, from, from + length);
    }
}
