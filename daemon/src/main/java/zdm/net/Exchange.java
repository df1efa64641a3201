package zdm.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One request on its way through the proxy and the state of its response, as far as it has come. The request's
 * bytes are kept until a response starts (the head as the worker gets it, and a body that was complete in the
 * client's buffer), so an idempotent request a worker dropped unanswered can be sent again. Owned by one
 * {@link ClientConnection}, on its event loop; not thread-safe.
 * <p>
 * One per connection, {@link #start started} again for each of its requests, so a keep-alive request costs no
 * exchange, body scanners or head array of its own. Safe because a connection has one exchange at a time: the next
 * one starts only after the last one has ended ({@link BackendSide#finish}, or a tunnel or a close, after which none
 * starts). Whoever keeps it past its end (a worker connection's callback) compares {@link #serial} first.
 */
final class Exchange {
    /** A worker's response head larger than this is refused (502): a worker sending more is broken. */
    static final int MAX_RESPONSE_HEAD_BYTES = 64 * 1024;

    /** Counts the exchanges started in this object: one that no longer matches has ended. */
    int serial;
    HttpHead request;
    /** The head as the worker gets it: its first {@code headForWorker.size()} bytes. */
    private final HeadBytes.Writer headForWorker = new HeadBytes.Writer(0);
    /** A body complete in the client's buffer when the head arrived, kept for a retry; null if none or streamed. */
    ByteBuf bufferedBody;
    /** The streamed request body's framing (null: there is none, or it was buffered). */
    BodyScanner body;
    boolean bodyStarted;
    int attempt;
    /** The request was written to the current backend connection. */
    boolean sent;

    /** Response bytes received and not yet relayed. */
    ByteBuf fromBackend;
    int responseScanned;
    boolean anyResponseByte;
    HttpHead response;
    BodyScanner responseBody;
    boolean responseDone;
    boolean backendReusable;
    boolean clientReusable;
    /** The scanners {@link #body} and {@link #responseBody} use, kept from one exchange to the next; made when first needed. */
    private BodyScanner requestScanner, responseScanner;

    /**
     * Starts the connection's next exchange here, in place of the last one, which has ended and was released: the
     * request's head (the head for the worker is written from it, with {@code clientAddress}), its body's framing,
     * and the body if it is complete in the client's buffer. @return this
     */
    Exchange start(HttpHead request, String clientAddress, HttpFraming framing, ByteBuf bufferedBody) {
        serial++;
        this.request = request;
        request.forBackend(clientAddress, headForWorker);
        this.bufferedBody = bufferedBody;
        if (bufferedBody != null || framing instanceof HttpFraming.None) {
            body = null;
        } else {
            if (requestScanner == null) requestScanner = new BodyScanner(true);
            body = requestScanner.start(framing);
        }
        bodyStarted = false;
        attempt = 0;
        sent = false;
        fromBackend = null;
        responseScanned = 0;
        anyResponseByte = false;
        response = null;
        responseBody = null;
        responseDone = false;
        backendReusable = false;
        clientReusable = false;
        return this;
    }

    /** The final response's body, framed so: scanned by the scanner kept for responses. */
    BodyScanner scanResponseBody(HttpFraming framing) {
        if (responseScanner == null) responseScanner = new BodyScanner(false);
        responseBody = responseScanner.start(framing);
        return responseBody;
    }

    /**
     * The head as the worker gets it, in a pooled direct buffer: the socket writes from one, and a heap buffer would
     * be copied into one by the transport anyway (a wrapper object and a copy per request).
     */
    ByteBuf headForWorker(ByteBufAllocator alloc) {
        return alloc.directBuffer(headForWorker.size()).writeBytes(headForWorker.array(), 0, headForWorker.size());
    }

    boolean bodyDone() {
        return body == null || body.done();
    }

    /** A retry sends the request again: only safe when doing it twice cannot matter and the body can be resent. */
    boolean retryable() {
        return request.isIdempotent() && body == null;
    }

    /** Forgets a response that never came, before the request is sent again on another connection. */
    void resetResponse() {
        release(fromBackend);
        fromBackend = null;
        responseScanned = 0;
        anyResponseByte = false;
        sent = false;
    }

    /** The exchange has ended (or its request will never be sent): its buffers are given back, and a large head array. */
    void release() {
        resetResponse();
        release(bufferedBody);
        bufferedBody = null;
        headForWorker.trim();
    }

    private static void release(ByteBuf buffer) {
        if (buffer != null && buffer.refCnt() > 0) buffer.release();
    }

    /**
     * Length of the message head at the reader index of {@code in} (an LF followed by CRLF or by LF ends it), or -1
     * if it has not fully arrived; {@code from}: how many bytes were already scanned without finding its end.
     */
    static int headLength(ByteBuf in, int from) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        for (int i = in.indexOf(start + from, end, (byte) '\n'); i >= 0; i = in.indexOf(i + 1, end, (byte) '\n')) {
            if (i + 1 < end && in.getByte(i + 1) == '\n') return i + 2 - start;
            if (i + 2 < end && in.getByte(i + 1) == '\r' && in.getByte(i + 2) == '\n') return i + 3 - start;
            if (i + 2 >= end) return -1;
        }
        return -1;
    }

    /**
     * {@code more} appended to the unread bytes of {@code into} (null: none), both given up. Only ever written after
     * its end, so slices already taken from {@code into} and still being written elsewhere stay intact.
     */
    static ByteBuf append(ByteBufAllocator alloc, ByteBuf into, ByteBuf more) {
        if (into == null) return more;
        if (into.writableBytes() >= more.readableBytes()) {
            into.writeBytes(more);
            more.release();
            return into;
        }
        var merged = alloc.buffer(into.readableBytes() + more.readableBytes());
        merged.writeBytes(into).writeBytes(more);
        into.release();
        more.release();
        return merged;
    }
}
