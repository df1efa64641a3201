package zdm.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The send timeout of one client connection ({@code send_timeout}, nginx's {@code send_timeout}): while bytes wait to
 * be taken by the client's socket, it must take some within the timeout of the last time it did, or the connection
 * is closed. A client that never reads would otherwise keep its connection slot (and its worker connection) for good;
 * its memory is bounded anyway ({@link HeldBytes}). A client that reads slowly but steadily is never cut off: only a
 * whole timeout without a byte taken is. Armed only when something waits after a flush, which a client that keeps up
 * never makes happen. Not thread-safe: confined to the connection's loop.
 */
final class SendStall {
    private final Channel client;
    private final long timeoutNanos;
    private final Runnable cutOff;
    private ScheduledFuture<?> task;
    /** What the socket was writing when last looked at, how far into it, and how much waited in all. */
    private Object writing;
    private int writtenUpTo;
    private long pending;

    SendStall(Channel client, long timeoutNanos, Runnable cutOff) {
        this.client = client;
        this.timeoutNanos = timeoutNanos;
        this.cutOff = cutOff;
    }

    /** Bytes wait for the client's socket: they must start moving within the timeout. */
    void waiting() {
        if (task != null) return;
        look();
        task = client.eventLoop().schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** The connection closed. */
    void stop() {
        if (task != null) task.cancel(false);
        task = null;
    }

    private void check() {
        task = null;
        var outbound = client.unsafe().outboundBuffer(); // null once closed
        if (outbound == null || outbound.current() == null) return; // nothing waits any more (or only unflushed bytes)
        Object before = writing;
        int beforeIndex = writtenUpTo;
        long beforePending = pending;
        look();
        if (writing == before && writtenUpTo == beforeIndex && pending >= beforePending) {
            cutOff.run();
            return;
        }
        task = client.eventLoop().schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Netty writes the flushed messages in order, each buffer's reader index moving as its bytes are taken and the
     * buffer dropped once all were: when the socket took something, the first waiting message or its reader index
     * changed. (A buffer object can come back from Netty's recycler as a new message, so less waiting in all counts
     * as progress too: both unchanged after a whole timeout, with the same object first, means nothing was taken.)
     */
    private void look() {
        var outbound = client.unsafe().outboundBuffer();
        writing = outbound == null ? null : outbound.current();
        writtenUpTo = writing instanceof ByteBuf b ? b.readerIndex() : 0;
        pending = outbound == null ? 0 : outbound.totalPendingWriteBytes();
    }
}
