package zdm.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.internal.SystemPropertyUtil;
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
    /** What Netty's outbound buffer adds to each message's size in its pending count (its own property, same default). */
    private static final int ENTRY_OVERHEAD = SystemPropertyUtil.getInt("io.netty.transport.outboundBufferEntrySizeOverhead", 96);

    private final Channel client;
    private final long timeoutNanos;
    private final Runnable cutOff;
    private ScheduledFuture<?> task;
    /** What the socket was writing when last looked at, and how far into it. */
    private Object writing;
    private int writtenUpTo;
    /**
     * What was ever queued for the socket, counted as the outbound buffer counts its pending bytes: queued minus
     * pending is what the socket took of whole messages. Seeded with what was pending when the stall was made.
     */
    private long queued;
    private long takenWhole;

    SendStall(Channel client, long timeoutNanos, Runnable cutOff) {
        this.client = client;
        this.timeoutNanos = timeoutNanos;
        this.cutOff = cutOff;
        var outbound = client.unsafe().outboundBuffer();
        queued = outbound == null ? 0 : outbound.totalPendingWriteBytes();
        // Only a connection whose client fell behind gets this handler, so a client that keeps up pays nothing.
        var sizes = client.config().getMessageSizeEstimator().newHandle();
        client.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                queued += Math.max(0, sizes.size(msg)) + ENTRY_OVERHEAD;
                ctx.write(msg, promise);
            }
        });
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
        long beforeTaken = takenWhole;
        look();
        if (writing == before && writtenUpTo == beforeIndex && takenWhole <= beforeTaken) {
            cutOff.run();
            return;
        }
        task = client.eventLoop().schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Netty writes the flushed messages in order: a message partly taken has its reader index moved (its pending size
     * stays until it is dropped), one wholly taken is dropped and its size leaves the pending count. So the socket took
     * something when the first message's reader index moved, or when queued minus pending grew. The first message's
     * identity alone cannot tell: a slice object comes back from Netty's recycler as the next message, at the same
     * reader index, while the socket keeps taking (a steady reader was cut off that way).
     */
    private void look() {
        var outbound = client.unsafe().outboundBuffer();
        writing = outbound == null ? null : outbound.current();
        writtenUpTo = writing instanceof ByteBuf b ? b.readerIndex() : 0;
        takenWhole = queued - (outbound == null ? 0 : outbound.totalPendingWriteBytes());
    }
}
