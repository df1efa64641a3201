package zdm.net;

import java.net.ProtocolException;

/**
 * How the body of one HTTP/1.x message is delimited (RFC 9112 §6), which is all the proxy needs to know to stream it
 * through without buffering it and to find where the next message starts. Immutable.
 */
sealed interface HttpFraming {
    /** No body at all. */
    record None() implements HttpFraming {}

    /** Exactly {@code bytes} bytes. */
    record Length(long bytes) implements HttpFraming {}

    /** Transfer-Encoding chunked: chunks, a last zero-size chunk and trailer fields. */
    record Chunked() implements HttpFraming {}

    /** Everything until the sender closes the connection (responses only). */
    record UntilClose() implements HttpFraming {}

    None NONE = new None();
    Chunked CHUNKED = new Chunked();
    UntilClose UNTIL_CLOSE = new UntilClose();

    /**
     * The request body's framing. Rejects what two parsers could read differently: both Content-Length and
     * Transfer-Encoding, a transfer coding other than chunked last, conflicting lengths (RFC 9112 §6.1, §6.3).
     */
    static HttpFraming ofRequest(HttpHead request) throws ProtocolException {
        if (request.has("Transfer-Encoding")) {
            if (request.has("Content-Length")) throw new ProtocolException("both Content-Length and Transfer-Encoding");
            if (!chunkedIsLast(request)) throw new ProtocolException("request transfer coding is not chunked");
            return CHUNKED;
        }
        long length = contentLength(request);
        return length <= 0 ? NONE : new Length(length);
    }

    /** The response body's framing; the request method matters (HEAD, CONNECT). */
    static HttpFraming ofResponse(HttpHead response, HttpHead request) throws ProtocolException {
        int status = response.status();
        if ("HEAD".equals(request.method()) || status < 200 || status == 204 || status == 304) return NONE;
        if (request.isConnect() && status < 300) return NONE; // the connection becomes a tunnel
        if (response.has("Transfer-Encoding")) return chunkedIsLast(response) ? CHUNKED : UNTIL_CLOSE;
        long length = contentLength(response);
        return length < 0 ? UNTIL_CLOSE : length == 0 ? NONE : new Length(length);
    }

    /**
     * Whether the last transfer coding is chunked: the last element of the field values joined by commas, where (as
     * {@code String.split} reads a list) empty elements at the end do not count; none at all is not chunked.
     */
    private static boolean chunkedIsLast(HttpHead head) {
        var bytes = head.bytes();
        for (int i = head.fieldCount() - 1; i >= 0; i--) {
            if (!head.isNamed(i, "Transfer-Encoding")) continue;
            int from = head.valueStart(i);
            for (int end = head.valueEnd(i); end >= from; end--) {
                int start = end;
                while (start > from && bytes[start - 1] != ',') start--;
                if (start < end) {
                    int first = HeadBytes.skipWhitespace(bytes, start, end);
                    return HeadBytes.equalsIgnoreCase(bytes, first, HeadBytes.trimWhitespace(bytes, first, end), "chunked");
                }
                end = start; // an empty element: the one before it, past its comma (the loop steps over the comma)
            }
        }
        return false;
    }

    /**
     * The Content-Length (all fields and list elements must agree), or -1 if absent. A field's list is read as
     * {@code String.split(",")} reads it: empty elements at its end do not count (so "5," is 5 and "," is nothing),
     * any other element must be digits, whitespace around them aside.
     */
    private static long contentLength(HttpHead head) throws ProtocolException {
        long length = -1;
        var bytes = head.bytes();
        for (int i = 0; i < head.fieldCount(); i++) {
            if (!head.isNamed(i, "Content-Length")) continue;
            int from = head.valueStart(i);
            int to = head.valueEnd(i);
            if (HeadBytes.indexOf(bytes, from, to, ',') >= 0) {
                while (to > from && bytes[to - 1] == ',') to--; // split's trailing empty elements
                if (to == from) continue;
            }
            for (int start = from; start <= to; ) {
                int comma = HeadBytes.indexOf(bytes, start, to, ',');
                int end = comma < 0 ? to : comma;
                int first = HeadBytes.skipWhitespace(bytes, start, end);
                long parsed = parseLength(bytes, first, HeadBytes.trimWhitespace(bytes, first, end));
                if (length >= 0 && parsed != length) throw new ProtocolException("conflicting Content-Length values");
                length = parsed;
                if (comma < 0) break;
                start = comma + 1;
            }
        }
        return length;
    }

    private static long parseLength(byte[] digits, int from, int to) throws ProtocolException {
        if (to == from || to - from > 18) throw new ProtocolException("invalid Content-Length");
        long value = 0;
        for (int i = from; i < to; i++) {
            byte c = digits[i];
            if (c < '0' || c > '9') throw new ProtocolException("invalid Content-Length");
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
