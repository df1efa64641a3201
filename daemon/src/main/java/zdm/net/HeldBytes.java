package zdm.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

/**
 * What one client connection holds of the daemon's buffers, as told to the {@link ProxyBudget}: the client's unread
 * bytes ({@link ClientBytes}: a head still arriving, pipelined requests read ahead, body bytes waiting for the worker)
 * and the bytes written to the client that its socket has not taken yet (a client that reads slowly, or never). Told
 * after every read from either side, and again whenever the client's socket has taken what was waiting, so the figure
 * never stays behind for a connection gone quiet. Telling a figure that did not change costs nothing. Not
 * thread-safe: confined to the connection's loop.
 */
final class HeldBytes {
    private final ProxyBudget budget;
    private final ClientBytes in;
    /** Called once the client's socket has taken what was waiting when it was armed: tell again. */
    private final Runnable tellAgain;
    private long told;
    private long unsent;
    private boolean watching;

    HeldBytes(ProxyBudget budget, ClientBytes in, Runnable tellAgain) {
        this.budget = budget;
        this.in = in;
        this.tellAgain = tellAgain;
    }

    /** @return whether the connection holds more than the daemon has room for, and must be shed */
    boolean tell(Channel client) {
        var outbound = client.unsafe().outboundBuffer(); // null once closed
        unsent = outbound == null ? 0 : outbound.totalPendingWriteBytes();
        long now = in.capacity() + unsent;
        if (now != told) {
            budget.held(now - told);
            told = now;
        }
        if (now > 0 && budget.mustShed(now)) return true;
        if (unsent > 0 && !watching && client.isActive()) {
            // An empty write completes once everything written before it has left: then the figure is told again.
            // Not when it failed: the client is closing, and its close gives the count back. Telling again then would
            // add a write to the very list Netty is failing one by one, which would never end.
            watching = true;
            client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
                watching = false;
                if (written.isSuccess()) tellAgain.run();
            });
        }
        return false;
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
    }
}
