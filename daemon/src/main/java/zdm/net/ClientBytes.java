package zdm.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * What a client sent that its {@link ClientConnection} has not handled yet (the rest of a head, pipelined requests, body
 * bytes waiting for the worker). Its cost is the buffer's capacity, which {@link HeldBytes} tells the
 * {@link ProxyBudget}. An idle client holds no buffer. Not thread-safe: confined to the connection's loop.
 */
final class ClientBytes {
    /** Slack past which a buffer is copied into a smaller one: a stalled client keeps what it sent, no more. */
    private static final int MAX_SLACK = 16 * 1024;

    private ByteBuf in;

    /** The unread bytes, or null when there are none. Reading from it is how they are handled. */
    ByteBuf buffer() {
        return in;
    }

    boolean isEmpty() {
        return in == null || !in.isReadable();
    }

    int readableBytes() {
        return in == null ? 0 : in.readableBytes();
    }

    /** {@code more}, just read, goes after the unread bytes (given up). */
    void append(ByteBufAllocator alloc, ByteBuf more) {
        in = Exchange.append(alloc, in, more);
    }

    /** Hands the unread bytes over (to a tunnel): null when there are none. The caller owns what it gets. */
    ByteBuf take() {
        var taken = in;
        in = null;
        return taken;
    }

    /** Gives the buffer back once everything in it was handled, or a smaller copy of the rest if it has much slack. */
    void releaseIfEmpty(ByteBufAllocator alloc) {
        if (in != null && !in.isReadable()) {
            in.release();
            in = null;
        } else if (in != null && in.capacity() - in.readableBytes() > MAX_SLACK) {
            var compact = alloc.buffer(in.readableBytes());
            compact.writeBytes(in);
            in.release();
            in = compact;
        }
    }

    /** What the buffer costs: its capacity, 0 without one. */
    int capacity() {
        return in == null ? 0 : in.capacity();
    }

    /** Gives the buffer back. */
    void release() {
        if (in != null) in.release();
        in = null;
    }
}
