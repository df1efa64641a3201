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

    private static boolean chunkedIsLast(HttpHead head) {
        var codings = String.join(",", head.values("Transfer-Encoding")).split(",");
        return codings[codings.length - 1].strip().equalsIgnoreCase("chunked");
    }

    /** The Content-Length (all fields and list elements must agree), or -1 if absent. */
    private static long contentLength(HttpHead head) throws ProtocolException {
        long length = -1;
        for (var value : head.values("Content-Length")) {
            for (var element : value.split(",")) {
                long parsed = parseLength(element.strip());
                if (length >= 0 && parsed != length) throw new ProtocolException("conflicting Content-Length values");
                length = parsed;
            }
        }
        return length;
    }

    private static long parseLength(String digits) throws ProtocolException {
        if (digits.isEmpty() || digits.length() > 18) throw new ProtocolException("invalid Content-Length");
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') throw new ProtocolException("invalid Content-Length");
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
