package zdm.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One request on its way through the proxy and the state of its response, as far as it has come. The request's
 * bytes are kept until a response starts (the head as the worker gets it, and a body that was complete in the
 * client's buffer), so an idempotent request a worker dropped unanswered can be sent again. Owned by one
 * {@link ClientConnection}, on its event loop; not thread-safe.
 */
final class Exchange {
    /** A worker's response head larger than this is refused (502): a worker sending more is broken. */
    static final int MAX_RESPONSE_HEAD_BYTES = 64 * 1024;

    final HttpHead request;
    final byte[] headBytes;
    /** A body complete in the client's buffer when the head arrived, kept for a retry; null if none or streamed. */
    ByteBuf bufferedBody;
    /** The streamed request body's framing (null: there is none, or it was buffered). */
    final BodyScanner body;
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

    Exchange(HttpHead request, byte[] headBytes, HttpFraming framing, ByteBuf bufferedBody) {
        this.request = request;
        this.headBytes = headBytes;
        this.bufferedBody = bufferedBody;
        this.body = bufferedBody != null || framing instanceof HttpFraming.None ? null : BodyScanner.of(framing, true);
    }

    /**
     * The head as the worker gets it, in a pooled direct buffer: the socket writes from one, and a heap buffer would
     * be copied into one by the transport anyway (a wrapper object and a copy per request).
     */
    ByteBuf headForWorker(ByteBufAllocator alloc) {
        return alloc.directBuffer(headBytes.length).writeBytes(headBytes);
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

    void release() {
        resetResponse();
        release(bufferedBody);
        bufferedBody = null;
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
