package zdm.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import java.util.concurrent.TimeUnit;

/**
 * What guards the daemon against one {@link ClientConnection}, and the proxy's last word to it: what the connection
 * holds is told to the daemon's budget ({@link HeldBytes}) and the connection is shed past it, a client that takes
 * nothing of what waits for it is closed at {@code send_timeout} ({@link SendStall}, made when first needed), and a
 * response of the proxy's own ends the connection once it has left, or after a grace period. Not thread-safe: confined
 * to the connection's loop.
 */
final class ConnectionGuard {
    /** How long a last response (the proxy's own, or one after which the connection closes) may take to leave. */
    private static final long LAST_WRITE_GRACE_SECONDS = 10;

    private final ClientConnection c;
    /** What the connection holds, told to the daemon's budget. */
    final HeldBytes held;
    /** Closes the connection when its client takes nothing of what waits for it for send_timeout; made when needed. */
    private SendStall stall;

    ConnectionGuard(ClientConnection connection, ProxyBudget budget) {
        this.c = connection;
        this.held = new HeldBytes(budget, connection);
    }

    /** As {@link #account(boolean)}, right after a read from the client (its writes to the worker not flushed yet). */
    void account() {
        account(false);
    }

    /**
     * Tells the daemon's budget what the connection holds now (see {@link HeldBytes}; {@code workerFlushed}: what was
     * written to the worker has been flushed). Past the budget's bound, so that stalled or greedy clients cannot fill
     * memory: a connection holding part of a head is answered 503 and closed, one that holds responses its client did
     * not take, requests read ahead or queued for its worker, or a tunnel's bytes, is closed. Bytes waiting for the
     * client must start moving within send_timeout ({@link SendStall}).
     */
    void account(boolean workerFlushed) {
        if (c.mode == ClientConnection.Mode.CLOSED) return;
        if (!held.tell(workerFlushed)) {
            if (held.anyUnsent()) {
                if (stall == null) stall = new SendStall(c.client, c.limits.sendTimeout().toNanos(), c::close);
                stall.waiting();
            }
            return;
        }
        if ((c.mode == ClientConnection.Mode.HEAD || c.mode == ClientConnection.Mode.SNIFF) && !held.anyUnsent()) {
            reply(503, "Service Unavailable", true);
        } else {
            c.close();
        }
    }

    /** A response of the proxy's own, after which the connection closes (its state is unknown or broken). */
    void reply(int status, String reason, boolean withBody) {
        c.client.write(OwnResponses.response(status, reason, withBody));
        closeAfterFlush();
    }

    /** Ends the connection; the client is closed once what was written to it has left (a last response). */
    void closeAfterFlush() {
        if (!c.end()) return;
        var client = c.client;
        var written = client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        // A client that does not read its last response does not keep the connection: closed after a grace period.
        if (!written.isDone()) {
            client.eventLoop().schedule(() -> { client.close(); }, LAST_WRITE_GRACE_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** The connection ended: no more timeout, and nothing held. */
    void stop() {
        if (stall != null) stall.stop();
        held.release();
    }
}
