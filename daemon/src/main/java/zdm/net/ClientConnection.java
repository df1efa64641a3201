package zdm.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.util.concurrent.TimeUnit;

/**
 * One client connection of a {@link PortListener}, on its event loop, together with the worker connection it uses
 * (opened on the same loop, so neither side needs a lock). In HTTP/1.x mode it relays request by request: each request
 * goes to the worker connection the previous one used while that worker is still in the rotation, and at a request
 * boundary after the worker left, to a worker in rotation, which is what lets keep-alive clients leave a draining
 * worker without noticing. Otherwise (a tunnel protocol, bytes that are not HTTP, an upgrade) it pipes bytes both
 * ways. Reads and writes are batched: what one read brings is written on at once, flushed when the read is done.
 * With protocol auto, a client that stays silent gets a worker connection kept aside ({@link #openUndecided}): whoever
 * speaks first on it decides between a tunnel and HTTP, so a silent HTTP client (a browser's preconnect, a client
 * stalled on a busy machine) is still routed request by request and never pins a worker through a reload.
 * The {@link ConnectionClock} enforces the head and keep-alive timeouts. Not thread-safe: confined to the loop.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {
    /** Pipelined requests are read ahead up to this much beyond the head limit; then reading waits. */
    private static final int READ_AHEAD_BYTES = 64 * 1024;
    /** How long a last response (the proxy's own, or one after which the connection closes) may take to leave. */
    private static final long LAST_WRITE_GRACE_SECONDS = 10;

    enum Mode { SNIFF, HEAD, EXCHANGE, TUNNEL, CLOSED }

    private final PortListener listener;
    private final ProxyLimits limits;
    private final Traffic traffic;
    private Channel client;
    private String clientAddress;
    private ConnectionClock clock;
    Mode mode;
    /** Client bytes read and not yet handled. */
    private final ClientBytes in;
    private int headScanned;
    private boolean headStarted;
    private long served;
    /** The worker connection in use, or kept for the next request ({@link #parked}), or null. */
    BackendLink link;
    boolean parked;
    private Exchange exchange;
    private Pipe pipe;
    /** The client half-closed before its tunnel was open. */
    private boolean clientInputEnded;
    /** A worker connection for a silent client is being opened ({@link #openUndecided}). */
    private boolean openingUndecided;

    ClientConnection(PortListener listener) {
        this.listener = listener;
        this.limits = listener.limits();
        this.in = new ClientBytes(listener.budget());
        this.traffic = listener.traffic();
    }

    Channel channel() {
        return client;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = ctx.channel();
        clientAddress = ((InetSocketAddress) client.remoteAddress()).getAddress().getHostAddress();
        clock = new ConnectionClock(this, client.eventLoop());
        switch (listener.protocol()) {
            case TCP -> startTunnel();
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
        // An unfinished head past the daemon's bound for such bytes: given up, so stalled clients cannot fill memory.
        if (in.holdsTooMuch() && (mode == Mode.HEAD || mode == Mode.SNIFF)) reply(503, "Service Unavailable", true);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (link != null && !parked) link.channel().flush();
        updateReading();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (mode == Mode.TUNNEL && pipe != null) pipe.writabilityChanged();
        else if (link != null) link.channel().config().setAutoRead(client.isWritable());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (!(event instanceof ChannelInputShutdownEvent)) return;
        if (mode == Mode.TUNNEL) {
            if (pipe != null) pipe.clientEnded();
            else clientInputEnded = true; // passed on once the worker connection is open
        } else if (mode == Mode.SNIFF && in.buffer() != null) {
            clientInputEnded = true;
            startTunnel(); // undecided bytes, then EOF: not HTTP
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
        close(false);
    }

    /** {@code flushFirst}: the client is closed once what was written to it has left (a last response). */
    private void close(boolean flushFirst) {
        if (mode == Mode.CLOSED) return;
        mode = Mode.CLOSED;
        if (clock != null) clock.stop();
        // A complete request still waiting for its worker connection is sent when it opens, then abandoned: the app
        // sees the request and its client leave, as it would without the proxy.
        if (exchange != null && (exchange.sent || !exchange.bodyDone())) exchange.release();
        exchange = null;
        in.release();
        if (link != null) link.close();
        link = null;
        if (!flushFirst) {
            client.close();
            return;
        }
        var written = client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        // A client that does not read its last response does not keep the connection: closed after a grace period.
        if (!written.isDone()) client.eventLoop().schedule(() -> { client.close(); }, LAST_WRITE_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    /** Handles what the client sent, as far as it goes. */
    private void process() {
        while (true) {
            switch (mode) {
                case SNIFF -> {
                    var verdict = sniff();
                    if (verdict == ProtocolSniffer.Verdict.UNDECIDED) return;
                    if (verdict == ProtocolSniffer.Verdict.OTHER) {
                        startTunnel();
                        return;
                    }
                    mode = Mode.HEAD;
                }
                case HEAD -> {
                    if (!readHead()) return;
                }
                case EXCHANGE -> {
                    forwardBody();
                    return;
                }
                default -> { return; }
            }
        }
    }

    private ProtocolSniffer.Verdict sniff() {
        var unread = in.buffer();
        int length = Math.min(unread.readableBytes(), limits.maxHeadBytes());
        var bytes = new byte[length];
        unread.getBytes(unread.readerIndex(), bytes);
        var verdict = ProtocolSniffer.classify(bytes, 0, length);
        // A buffer full of what still looks like a request line: HTTP, where it gets 431.
        return verdict == ProtocolSniffer.Verdict.UNDECIDED && length == limits.maxHeadBytes()
                ? ProtocolSniffer.Verdict.HTTP : verdict;
    }

    /** @return whether a request head was read and its exchange started */
    private boolean readHead() {
        if (in.isEmpty()) return false;
        var unread = in.buffer();
        if (!headStarted) {
            headStarted = true;
            // On a kept-alive connection the head timeout runs from the next request's first byte.
            if (served > 0) clock.cutOffIn(limits.headTimeout().toNanos());
            clock.headStarted();
        }
        int length = Exchange.headLength(unread, headScanned);
        if (length < 0 || length > limits.maxHeadBytes()) {
            if (length > 0 || unread.readableBytes() >= limits.maxHeadBytes()) reply(431, "Request Header Fields Too Large", true);
            else headScanned = Math.max(0, unread.readableBytes() - 3); // the empty line may straddle two reads
            return false;
        }
        clock.clear();
        headStarted = false;
        headScanned = 0;
        var bytes = new byte[length];
        unread.readBytes(bytes);
        HttpHead head;
        HttpFraming framing;
        try {
            head = HttpHead.parseRequest(bytes, 0, length);
            framing = HttpFraming.ofRequest(head);
        } catch (ProtocolException e) {
            reply(400, "Bad Request", true);
            return false;
        }
        ByteBuf buffered = null;
        if (framing instanceof HttpFraming.Length l && l.bytes() <= unread.readableBytes()) {
            buffered = unread.readRetainedSlice((int) l.bytes());
        }
        exchange = new Exchange(head, head.forBackend(clientAddress), framing, buffered);
        mode = Mode.EXCHANGE;
        if (!exchange.bodyDone()) bodyArrived();
        in.releaseIfEmpty(client.alloc());
        dispatch();
        return mode == Mode.EXCHANGE;
    }

    /** Sends the exchange's request over the kept worker connection if it is still usable, else over a new one. */
    private void dispatch() {
        var current = exchange;
        current.attempt++;
        clock.parked(false);
        if (link != null) {
            parked = false;
            if (listener.upstream().reuse(link) && link.channel().isActive()) {
                send();
                return;
            }
            link.close();
            link = null;
        }
        listener.upstream().open(client.eventLoop(), System.nanoTime() + listener.waitForBackendNanos(),
                new BackendHandler(this), opened -> {
                    if (mode == Mode.CLOSED || exchange != current) {
                        if (opened != null && mode == Mode.CLOSED && !current.sent && current.bodyDone()) {
                            sendAbandoned(current, opened);
                            return;
                        }
                        if (opened != null) opened.close();
                        if (mode == Mode.CLOSED) current.release();
                    } else if (opened == null) {
                        reply(503, "Service Unavailable", !"HEAD".equals(current.request.method()));
                    } else {
                        link = opened;
                        send();
                    }
                });
    }

    /** The request of a client that left while its worker connection opened: sent, then that connection closed. */
    private static void sendAbandoned(Exchange request, BackendLink opened) {
        var backend = opened.channel();
        backend.write(Unpooled.wrappedBuffer(request.headBytes));
        if (request.bufferedBody != null) backend.write(request.bufferedBody.retainedDuplicate());
        request.release();
        backend.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> opened.close());
    }

    private void send() {
        var backend = link.channel();
        backend.write(Unpooled.wrappedBuffer(exchange.headBytes));
        if (exchange.bufferedBody != null) backend.write(exchange.bufferedBody.retainedDuplicate());
        exchange.sent = true;
        forwardBody();
        if (mode == Mode.EXCHANGE) backend.flush();
    }

    /** Streams the request body's bytes that have arrived to the worker, exactly as framed. */
    private void forwardBody() {
        var current = exchange;
        if (current == null || !current.sent || current.bodyDone() || in.isEmpty()) return;
        current.bodyStarted = true;
        int bytes;
        try {
            bytes = current.body.scan(in.buffer());
        } catch (ProtocolException e) {
            malformedBody();
            return;
        }
        if (bytes > 0) link.channel().write(in.buffer().readRetainedSlice(bytes));
        in.releaseIfEmpty(client.alloc());
        if (!current.bodyDone()) {
            if (bytes > 0) bodyArrived();
            return;
        }
        clock.clear();
        if (current.responseDone) finish();
    }

    /** The rest of the request body is due within body_timeout of now; past it, 408 (see {@link #cutOff}). */
    private void bodyArrived() {
        clock.cutOffIn(limits.bodyTimeout().toNanos());
        clock.headStarted();
    }

    /** The client's body broke its framing: 400 if no response has started, else both ends are closed. */
    private void malformedBody() {
        link.close(); // the worker sees the request abandoned
        link = null;
        if (exchange.response == null) reply(400, "Bad Request", true);
        else close();
    }

    /** Reads from the worker connection {@code from}, for the current exchange or a tunnel. */
    void backendRead(Channel from, ByteBuf bytes) {
        traffic.bytesOut.add(bytes.readableBytes());
        if (link == null || link.channel() != from || mode == Mode.CLOSED) {
            bytes.release();
            return;
        }
        if (mode == Mode.TUNNEL) {
            pipe.fromBackend(bytes);
            return;
        }
        if (mode == Mode.SNIFF) {
            serverSpokeFirst(bytes);
            return;
        }
        if (exchange == null || !exchange.sent) { // a worker talking out of turn on an idle connection: drop it
            bytes.release();
            link.close();
            link = null;
            return;
        }
        var current = exchange;
        current.anyResponseByte = true;
        current.fromBackend = Exchange.append(client.alloc(), current.fromBackend, bytes);
        try {
            ResponseRelay.relay(current, client);
        } catch (ProtocolException e) {
            brokenResponse();
            return;
        }
        if (current.response != null && current.responseBody == null) {
            upgraded(); // a 101, or a successful CONNECT
        } else if (current.responseDone) {
            responseComplete();
        }
    }

    void backendReadComplete(Channel from) {
        if (link != null && link.channel() == from && mode != Mode.CLOSED) client.flush();
    }

    void backendWritabilityChanged(Channel from) {
        if (link == null || link.channel() != from) return;
        if (mode == Mode.TUNNEL && pipe != null) pipe.writabilityChanged();
        else updateReading();
    }

    /** The worker connection {@code from} ended: {@code closed}, or only its input (a tunnel goes on the other way). */
    void backendEnded(Channel from, boolean closed) {
        if (link == null || link.channel() != from || mode == Mode.CLOSED) return;
        if (mode == Mode.TUNNEL) {
            pipe.backendEnded();
            // Closed (Netty closes a channel whose input and output have both ended): what it sent still leaves.
            if (closed) client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(future -> close());
            return;
        }
        if (mode == Mode.SNIFF) {
            undecidedEnded();
            return;
        }
        var current = exchange;
        link.close();
        link = null;
        parked = false;
        if (current == null || !current.sent) return; // an idle kept connection the worker closed: open anew next time
        if (current.response != null) {
            if (current.responseBody != null && current.responseBody.untilClose()) {
                current.backendReusable = false;
                current.clientReusable = false;
                current.responseDone = true;
                finish(); // the body ends with the connection; the client learns it the same way
            } else {
                close(); // cut off inside the response: the client connection cannot continue
            }
            return;
        }
        // No final response. Not one byte: the worker cannot have processed it far enough to answer it (a reused
        // connection it had just closed, a worker that died), so an idempotent request is sent once more.
        if (current.retryable() && !current.anyResponseByte && current.attempt == 1) {
            current.resetResponse();
            dispatch();
            return;
        }
        reply(502, "Bad Gateway", !"HEAD".equals(current.request.method()));
    }

    /** A worker's response that cannot be relayed (a broken head, or body framing): 502 if nothing left yet. */
    private void brokenResponse() {
        if (exchange.response == null) {
            link.close();
            link = null;
            reply(502, "Bad Gateway", !"HEAD".equals(exchange.request.method()));
        } else {
            close();
        }
    }

    private void responseComplete() {
        var current = exchange;
        if (!current.bodyDone()) {
            // Answered without the body after "Expect: 100-continue": the client may never send it, so where its next
            // request starts is unknown. Closing both is the safe end (RFC 9110 §10.1.1).
            if (current.request.expectsContinue() && !current.bodyStarted) {
                current.backendReusable = false;
                current.clientReusable = false;
                finish();
            }
            return; // else the rest of the body still goes to the worker: finished when it has
        }
        finish();
    }

    /** The exchange is over: keep or close the worker connection, then wait for the next request or close. */
    private void finish() {
        var done = exchange;
        exchange = null;
        done.release();
        served++;
        if (done.backendReusable) {
            listener.upstream().park(link);
            parked = true;
            clock.parked(true);
        } else if (link != null) {
            link.close();
            link = null;
        }
        if (!done.clientReusable || done.request.closesConnection()) {
            closeAfterFlush();
            return;
        }
        mode = Mode.HEAD;
        client.flush();
        if (in.isEmpty()) clock.cutOffIn(limits.keepAliveTimeout().toNanos());
        process();
        updateReading();
    }

    /** After a 101 or a successful CONNECT: the connection is pinned to this worker, counted for it, until closed. */
    private void upgraded() {
        var current = exchange;
        exchange = null;
        var rest = current.fromBackend;
        current.fromBackend = null;
        current.release();
        if (rest != null && rest.isReadable()) client.write(rest);
        else if (rest != null) rest.release();
        client.flush();
        mode = Mode.TUNNEL;
        clock.stop();
        pipe = new Pipe(client, link.channel());
        var unread = in.take();
        if (unread != null) pipe.fromClient(unread);
        pipe.flushToBackend();
    }

    /**
     * Pins the connection to one worker for its life; bytes read so far are forwarded first. A worker connection
     * opened while the client was silent is used if its worker is still in the rotation.
     */
    private void startTunnel() {
        mode = Mode.TUNNEL;
        clock.stop(); // a tunnel may idle for good: its protocol has its own timeouts
        if (link != null) {
            var kept = link;
            link = null;
            parked = false;
            if (listener.upstream().reuse(kept) && kept.channel().isActive()) {
                tunnelOver(kept);
                return;
            }
            kept.close();
        }
        listener.upstream().open(client.eventLoop(), System.nanoTime() + listener.waitForBackendNanos(),
                new BackendHandler(this), opened -> {
                    if (mode == Mode.CLOSED) {
                        if (opened != null) opened.close();
                        return;
                    }
                    if (opened == null) { // no worker within waitForBackend (or closing): the client sees EOF
                        close();
                        return;
                    }
                    tunnelOver(opened);
                });
    }

    private void tunnelOver(BackendLink opened) {
        link = opened;
        pipe = new Pipe(client, link.channel());
        var unread = in.take();
        if (unread != null) pipe.fromClient(unread);
        pipe.flushToBackend();
        if (clientInputEnded) pipe.clientEnded();
    }

    /**
     * A silent client may wait for the server to speak first (SMTP, MySQL), or be an HTTP client that has not sent its
     * request yet. A worker connection is opened and kept like an idle keep-alive one (so a worker leaving the
     * rotation closes it, and its drain does not wait for this client): a worker that speaks first on it makes a
     * tunnel ({@link #serverSpokeFirst}); a client that speaks first is sniffed as usual, and its first HTTP request
     * uses the connection if its worker is still in the rotation.
     */
    private void openUndecided() {
        if (openingUndecided || link != null) return;
        openingUndecided = true;
        listener.upstream().open(client.eventLoop(), System.nanoTime() + listener.waitForBackendNanos(),
                new BackendHandler(this), opened -> {
                    openingUndecided = false;
                    if (mode != Mode.SNIFF || link != null) { // the client spoke (or left) meanwhile
                        if (opened != null) opened.close();
                        return;
                    }
                    if (opened == null) { // no worker within waitForBackend (or closing), as for a tunnel
                        close();
                        return;
                    }
                    link = opened;
                    parked = true;
                    listener.upstream().park(opened);
                });
    }

    /** The worker spoke first on the connection kept for a silent client: a tunnel, with what it said. */
    private void serverSpokeFirst(ByteBuf bytes) {
        if (!link.idleToBusy()) { // its worker left the rotation just now: try another one, which may speak too
            bytes.release();
            link = null;
            parked = false;
            openUndecided();
            return;
        }
        parked = false;
        mode = Mode.TUNNEL;
        clock.stop();
        tunnelOver(link);
        pipe.fromBackend(bytes);
    }

    /**
     * The worker connection kept for a silent client ended before either side spoke. Closed because its worker left
     * the rotation: another one is opened. Ended by a worker still in the rotation: so does the client's, as in a
     * tunnel.
     */
    private void undecidedEnded() {
        var ended = link;
        link = null;
        parked = false;
        boolean workerLeft = !listener.upstream().inRotation(ended.backend());
        ended.close();
        if (workerLeft) openUndecided();
        else close();
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
        closeAfterFlush();
    }

    /**
     * Called by the clock: a client silent for a while. After undecided bytes it speaks something else than HTTP: a
     * tunnel. Silent from the start: see {@link #openUndecided}.
     */
    void sniffTimedOut() {
        if (mode != Mode.SNIFF) return;
        if (in.buffer() != null) startTunnel();
        else openUndecided();
    }

    /** Called by the clock: the kept worker connection has been idle long enough to close. */
    void parkedTooLong() {
        if (parked && link != null) {
            link.close();
            link = null;
            parked = false;
        }
    }

    /** A response of the proxy's own, after which the connection closes (its state is unknown or broken). */
    private void reply(int status, String reason, boolean withBody) {
        client.write(OwnResponses.response(status, reason, withBody));
        closeAfterFlush();
    }

    private void closeAfterFlush() {
        close(true);
    }

    /**
     * Reads from the client only while that can go somewhere: a streamed body waits while the worker's connection is
     * full, and pipelined requests are read ahead only so far.
     */
    private void updateReading() {
        if (mode == Mode.CLOSED || mode == Mode.TUNNEL) return;
        boolean backendFull = link != null && !parked && !link.channel().isWritable();
        boolean readAheadFull = in.readableBytes() > limits.maxHeadBytes() + READ_AHEAD_BYTES;
        client.config().setAutoRead(!backendFull && !readAheadFull);
    }
}
