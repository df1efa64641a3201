package zdm.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;

/**
 * What one client connection holds of the daemon's buffers, as told to the {@link ProxyBudget}: the client's unread
 * bytes ({@link ClientBytes}: a head still arriving, pipelined requests read ahead, body bytes waiting for the worker),
 * the bytes written to the client that its socket has not taken yet (a client that reads slowly, or never), the bytes
 * written to the worker that its socket has not taken yet (a request or an upload queued for a slow worker), and the
 * part of the worker's response not relayed yet (a response head still arriving). In a tunnel, the bytes waiting
 * either way. Told after every read from either side, and again whenever a socket has taken what was waiting for it,
 * so the figure never stays behind for a connection gone quiet. Telling a figure that did not change costs nothing.
 * Not thread-safe: confined to the connection's loop.
 */
final class HeldBytes {
    private final ProxyBudget budget;
    private final ClientConnection c;
    private long told;
    private long unsent;
    /** Bytes written to the worker and not taken, as last seen after a flush. */
    private long workerUnsent;
    private boolean watchingClient;
    private boolean watchingWorker;

    HeldBytes(ProxyBudget budget, ClientConnection connection) {
        this.budget = budget;
        this.c = connection;
    }

    /**
     * {@code workerFlushed}: whatever was written to the worker connection has been flushed (so what waits is waiting
     * for the worker, not for the end of this read). Otherwise the worker side is counted as last seen, or less.
     *
     * @return whether the connection holds more than the daemon has room for, and must be shed
     */
    boolean tell(boolean workerFlushed) {
        var client = c.client;
        unsent = pending(client);
        var worker = c.link == null ? null : c.link.channel();
        long waiting = pending(worker);
        workerUnsent = workerFlushed ? waiting : Math.min(workerUnsent, waiting);
        var exchange = c.exchange;
        long response = exchange == null || exchange.fromBackend == null ? 0 : exchange.fromBackend.capacity();
        long now = c.in.capacity() + unsent + workerUnsent + response;
        if (now != told) {
            budget.held(now - told);
            told = now;
        }
        if (now > 0 && budget.mustShed(now)) return true;
        if (unsent > 0 && !watchingClient) watchingClient = watch(client, true);
        if (workerFlushed && workerUnsent > 0 && !watchingWorker) watchingWorker = watch(worker, false);
        return false;
    }

    /**
     * An empty write completes once everything written before it has left: then the figure is told again, in a task of
     * its own. Not from the listener itself: Netty calls it before it uncounts the empty write (an entry counts 96 bytes
     * of overhead), so the figure would still show bytes waiting, and the next empty write, at the head of the list
     * Netty is going through, would complete at once, for good (the loop spun like that). Not when it failed: the
     * channel is closing, and the connection's close gives the count back. Nor on a channel whose output is shut (a
     * half-closed tunnel): what it held has left or failed.
     */
    private boolean watch(Channel channel, boolean client) {
        if (!channel.isActive() || (channel instanceof DuplexChannel d && d.isOutputShutdown())) return false;
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
            if (client) watchingClient = false;
            else watchingWorker = false;
            if (written.isSuccess()) channel.eventLoop().execute(() -> c.guard.account(true));
        });
        return true;
    }

    private static long pending(Channel channel) {
        var outbound = channel == null ? null : channel.unsafe().outboundBuffer(); // null once closed
        return outbound == null ? 0 : outbound.totalPendingWriteBytes();
    }

    /** As last told: bytes written to the client and not yet taken by its socket. */
    boolean anyUnsent() {
        return unsent > 0;
    }

    /** Gives the budget its share back (the connection closed). */
    void release() {
        budget.held(-told);
        told = 0;
        unsent = 0;
        workerUnsent = 0;
    }
}
