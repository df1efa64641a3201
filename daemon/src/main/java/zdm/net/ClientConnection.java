package zdm.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.net.InetSocketAddress;

/**
 * One client connection of a {@link PortListener}, on its event loop, together with the worker connection it uses
 * (opened on the same loop, so neither side needs a lock). In HTTP/1.x mode it relays request by request: each request
 * goes to the worker connection the previous one used while that worker is still in the rotation, and at a request
 * boundary after the worker left, to a worker in rotation, which is what lets keep-alive clients leave a draining
 * worker without noticing. Otherwise (a tunnel protocol, bytes that are not HTTP, an upgrade) it pipes bytes both
 * ways. Reads and writes are batched: what one read brings is written on at once, flushed when the read is done.
 * With protocol auto, a client that stays silent gets a worker connection kept aside
 * ({@link TunnelOpener#openUndecided}): whoever speaks first on it decides between a tunnel and HTTP, so a silent HTTP
 * client (a browser's preconnect, a client stalled on a busy machine) is still routed request by request and never
 * pins a worker through a reload. The {@link ConnectionClock} enforces the head and keep-alive timeouts.
 * <p>
 * This class is the client's channel handler and holds the connection's state, its mode and its close; the phases
 * are its parts: {@link RequestForwarder} (request heads, dispatch to a worker connection, request bodies),
 * {@link BackendSide} (the worker connection's events: the response, a retry, the end of an exchange, an upgrade) and
 * {@link TunnelOpener} (tunnels, and the worker connection kept for a silent client); {@link ConnectionGuard} tells the
 * daemon's budget what the connection holds, enforces send_timeout and ends it with the proxy's own responses. Not
 * thread-safe: confined to the loop.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {
    enum Mode { SNIFF, HEAD, EXCHANGE, TUNNEL, CLOSED }

    final PortListener listener;
    final ProxyLimits limits;
    final Traffic traffic;
    final RequestForwarder requests = new RequestForwarder(this);
    final BackendSide backendSide = new BackendSide(this);
    final TunnelOpener tunnels = new TunnelOpener(this);
    Channel client;
    String clientAddress;
    ConnectionClock clock;
    Mode mode;
    /** Client bytes read and not yet handled. */
    final ClientBytes in = new ClientBytes();
    /** What the connection holds, told to the daemon's budget; send_timeout; the proxy's last response. */
    final ConnectionGuard guard;
    /** Where this connection's request and response heads are copied to be read. */
    final HeadCopies heads = new HeadCopies();
    /**
     * The promise of the relay's writes to the client, whose outcome nobody waits for: a promise per write was a tenth
     * of the proxy's garbage. It reports nothing, as the per-write promises (never listened to) did: a write fails
     * only when the client's connection has failed or closed, which its own events report.
     */
    ChannelPromise writes;
    /** Exchanges finished on this connection. */
    long served;
    /** The worker connection in use, or kept for the next request ({@link #parked}), or null. */
    BackendLink link;
    boolean parked;
    Exchange exchange;
    Pipe pipe;

    ClientConnection(PortListener listener) {
        this.listener = listener;
        this.limits = listener.limits();
        this.guard = new ConnectionGuard(this, listener.budget());
        this.traffic = listener.traffic();
    }

    Channel channel() {
        return client;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = ctx.channel();
        writes = new VoidChannelPromise(client, false);
        clientAddress = ((InetSocketAddress) client.remoteAddress()).getAddress().getHostAddress();
        clock = new ConnectionClock(this, client.eventLoop());
        switch (listener.protocol()) {
            case TCP -> tunnels.startTunnel();
            case HTTP -> {
                mode = Mode.HEAD;
                clock.cutOffIn(limits.headTimeout().toNanos()); // the first head is due this long after the connect
            }
            case AUTO -> {
                mode = Mode.SNIFF;
                clock.cutOffIn(limits.headTimeout().toNanos());
                clock.sniffing();
            }
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        var bytes = (ByteBuf) msg;
        traffic.bytesIn.add(bytes.readableBytes());
        if (mode == Mode.TUNNEL && pipe != null) {
            pipe.fromClient(bytes);
            return;
        }
        if (mode == Mode.CLOSED) {
            bytes.release();
            return;
        }
        in.append(client.alloc(), bytes);
        if (mode == Mode.SNIFF) clock.sniffing();
        process();
        guard.account();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (link != null && !parked) link.channel().flush();
        guard.account(true); // what the worker's socket did not take now waits in the daemon
        updateReading();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (mode == Mode.TUNNEL && pipe != null) {
            pipe.writabilityChanged();
            return;
        }
        if (link != null) link.channel().config().setAutoRead(client.isWritable());
        updateReading();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (!(event instanceof ChannelInputShutdownEvent)) return;
        if (mode == Mode.TUNNEL) {
            if (pipe != null) pipe.clientEnded();
            else tunnels.clientInputEnded = true; // passed on once the worker connection is open
        } else if (mode == Mode.SNIFF && in.buffer() != null) {
            tunnels.clientInputEnded = true;
            tunnels.startTunnel(); // undecided bytes, then EOF: not HTTP
        } else {
            close();
        } // an HTTP client that stops sending has left: its request, if any, is abandoned
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (mode == Mode.TUNNEL && link != null) { // what the client sent before it closed still reaches the worker
            var kept = link;
            link = null;
            kept.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(future -> kept.close());
        }
        close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        close(); // a reset, mostly: nothing more can flow
    }

    /** Ends everything: the client, its worker connection (so the app sees its client leave), buffers, timers. */
    void close() {
        if (end()) client.close();
    }

    /**
     * Ends everything but the client's channel, which the caller closes ({@link ConnectionGuard#closeAfterFlush} once
     * its last response has left).
     *
     * @return false if the connection had ended already
     */
    boolean end() {
        if (mode == Mode.CLOSED) return false;
        mode = Mode.CLOSED;
        if (clock != null) clock.stop();
        // A complete request still waiting for its worker connection is sent when it opens, then abandoned: the app
        // sees the request and its client leave, as it would without the proxy.
        if (exchange != null && (exchange.sent || !exchange.bodyDone())) exchange.release();
        exchange = null;
        in.release();
        guard.stop();
        if (link != null) link.close();
        link = null;
        return true;
    }

    /** Handles what the client sent, as far as it goes. */
    void process() {
        while (true) {
            switch (mode) {
                case SNIFF -> {
                    var verdict = ProtocolSniffer.classify(in.buffer(), limits.maxHeadBytes());
                    if (verdict == ProtocolSniffer.Verdict.UNDECIDED) return;
                    if (verdict == ProtocolSniffer.Verdict.OTHER) {
                        tunnels.startTunnel();
                        return;
                    }
                    mode = Mode.HEAD;
                }
                case HEAD -> {
                    if (!requests.readHead()) return;
                }
                case EXCHANGE -> {
                    requests.forwardBody();
                    return;
                }
                default -> { return; }
            }
        }
    }

    /**
     * Called by the clock when the client missed its deadline (a head, or the next piece of a body): 408 if it had
     * started one, and closed, with its worker connection (the app sees the request abandoned).
     */
    void cutOff(boolean headWasStarted) {
        if (mode == Mode.CLOSED) return;
        // A body that stopped arriving while its response is already being relayed: nothing more can be said.
        if (!headWasStarted || (exchange != null && exchange.response != null)) {
            close();
            return;
        }
        // Nothing was written to this client since its last response completed, so its send buffer has room.
        client.write(OwnResponses.timeout());
        guard.closeAfterFlush();
    }

    /**
     * Called by the clock: a client silent for a while. After undecided bytes it speaks something else than HTTP: a
     * tunnel. Silent from the start: see {@link TunnelOpener#openUndecided}.
     */
    void sniffTimedOut() {
        if (mode != Mode.SNIFF) return;
        if (in.buffer() != null) tunnels.startTunnel();
        else tunnels.openUndecided();
    }

    /** Called by the clock: the kept worker connection has been idle long enough to close. */
    void parkedTooLong() {
        if (parked && link != null) {
            link.close();
            link = null;
            parked = false;
        }
    }

    /**
     * Reads from the client only while that can go somewhere: a streamed body waits while the worker's connection is
     * full, pipelined requests are read ahead only up to {@code max_head_size}, and not at all while the client does
     * not take its responses (so a client that never reads holds at most that much of what it sent).
     */
    void updateReading() {
        if (mode == Mode.CLOSED || mode == Mode.TUNNEL) return;
        boolean backendFull = link != null && !parked && !link.channel().isWritable();
        boolean readAheadFull = in.readableBytes() > limits.maxHeadBytes();
        client.config().setAutoRead(!backendFull && !readAheadFull && client.isWritable());
    }
}
