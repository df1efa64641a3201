package zdm.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import zdm.log.DaemonLog;

/**
 * The accept handler of one {@link PortListener}'s listening socket: counts each accepted connection and stops
 * accepting at the app's limit ({@link ProxyLimits#maxConnections()}) or the daemon's ({@link ProxyBudget}): Netty
 * reads no further connection once auto-read is off, so excess ones wait in the kernel's queue. A connection's close
 * resumes it, and the budget does (through {@link #reopen()}) when room comes back elsewhere. Thread-safe.
 */
final class AcceptGate extends ChannelInboundHandlerAdapter {
    private final String app;
    private final Traffic traffic;
    private final ProxyLimits limits;
    private final ProxyBudget budget;
    private final AtomicLong accepted = new AtomicLong();
    /** Client connections open now; accepting pauses at the limit. */
    private final AtomicInteger open = new AtomicInteger();
    private Channel server; // set once in bound(), before the budget can call reopen()
    private int port;
    private volatile boolean closed;

    AcceptGate(String app, Traffic traffic, ProxyLimits limits, ProxyBudget budget) {
        this.app = app;
        this.traffic = traffic;
        this.limits = limits;
        this.budget = budget;
    }

    /** The listening socket is bound: accepting may be turned off and on from now. */
    void bound(Channel server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Connections accepted since the port opened. */
    long acceptedTotal() {
        return accepted.get();
    }

    /** The port is closing: accepting is not touched again. */
    void close() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        var client = (Channel) msg;
        accepted.incrementAndGet();
        traffic.connections.increment();
        boolean room = budget.opened();
        if (open.incrementAndGet() >= limits.maxConnections() || !room) ctx.channel().config().setAutoRead(false);
        client.closeFuture().addListener(done -> {
            open.decrementAndGet();
            budget.closed();
            if (!server.config().isAutoRead()) reopen(); // paused: maybe room now
        });
        ctx.fireChannelRead(client);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // An accept failure (e.g. out of file descriptors): Netty pauses accepting a moment and goes on.
        DaemonLog.warn("app " + app + " port " + port + ": accept failed: " + cause.getMessage());
    }

    /**
     * Accepts while this app and the daemon have room; pauses otherwise. Any thread; done on the port's own loop,
     * where the accept handler turns accepting off too: Netty's auto-read switched from two threads at once can end
     * up on with the socket no longer watched (a pause from another thread is applied later, by a task).
     */
    void reopen() {
        var s = server;
        if (s == null || closed) return; // closing: the socket goes, its reading must not be touched
        if (!s.eventLoop().inEventLoop()) {
            try {
                s.eventLoop().execute(this::reopen);
            } catch (RejectedExecutionException e) {
                // the loops are shutting down with the daemon: nothing to accept any more
            }
            return;
        }
        boolean accept = !closed && open.get() < limits.maxConnections() && budget.hasRoom();
        if (s.config().isAutoRead() != accept) s.config().setAutoRead(accept);
    }
}
