package zdm.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.ProtocolException;
import zdm.net.ClientConnection.Mode;

/**
 * The request side of a {@link ClientConnection} in HTTP/1.x mode: reads each request head from the client's unread
 * bytes, sends the request over the kept worker connection while its worker is still in the rotation (else over a new
 * one), and streams its body to the worker exactly as framed. Not thread-safe: confined to the connection's loop.
 */
final class RequestForwarder {
    private final ClientConnection c;
    /** How much of an unfinished head was already scanned without finding its end. */
    private int headScanned;
    private boolean headStarted;

    RequestForwarder(ClientConnection connection) {
        this.c = connection;
    }

    /** @return whether a request head was read and its exchange started */
    boolean readHead() {
        if (c.in.isEmpty()) return false;
        var unread = c.in.buffer();
        if (!headStarted) {
            headStarted = true;
            // On a kept-alive connection the head timeout runs from the next request's first byte.
            if (c.served > 0) c.clock.cutOffIn(c.limits.headTimeout().toNanos());
            c.clock.headStarted();
        }
        int length = Exchange.headLength(unread, headScanned);
        if (length < 0 || length > c.limits.maxHeadBytes()) {
            if (length > 0 || unread.readableBytes() >= c.limits.maxHeadBytes()) {
                c.guard.reply(431, "Request Header Fields Too Large", true);
            }
            else headScanned = Math.max(0, unread.readableBytes() - 3); // the empty line may straddle two reads
            return false;
        }
        c.clock.clear();
        headStarted = false;
        headScanned = 0;
        var bytes = c.heads.forRequest(length);
        unread.readBytes(bytes, 0, length);
        HttpHead head;
        HttpFraming framing;
        try {
            head = c.heads.requestHead().readRequest(bytes, 0, length);
            framing = HttpFraming.ofRequest(head);
        } catch (ProtocolException e) {
            c.guard.reply(400, "Bad Request", true);
            return false;
        }
        ByteBuf buffered = null;
        if (framing instanceof HttpFraming.Length l && l.bytes() <= unread.readableBytes()) {
            buffered = unread.readRetainedSlice((int) l.bytes());
        }
        c.exchange = c.heads.exchange().start(head, c.clientAddress, framing, buffered);
        c.mode = Mode.EXCHANGE;
        if (!c.exchange.bodyDone()) bodyArrived();
        c.in.releaseIfEmpty(c.client.alloc());
        dispatch();
        return c.mode == Mode.EXCHANGE;
    }

    /** Sends the exchange's request over the kept worker connection if it is still usable, else over a new one. */
    void dispatch() {
        var current = c.exchange;
        int serial = current.serial;
        current.attempt++;
        // Past its idle time even if the clock's task has not run yet: a loop that was held up (a busy machine)
        // handles the client's read before its due timers, and the worker may have closed that connection meanwhile.
        boolean keptTooLong = c.clock.parkedExpired();
        c.clock.parked(false);
        if (c.link != null) {
            c.parked = false;
            if (!keptTooLong && c.listener.upstream().reuse(c.link) && c.link.channel().isActive()) {
                send();
                return;
            }
            c.link.close();
            c.link = null;
        }
        c.listener.upstream().open(c.client.eventLoop(), System.nanoTime() + c.listener.waitForBackendNanos(),
                new BackendHandler(c.backendSide), opened -> {
                    if (current.serial != serial) { // its exchange ended, and the connection's next one started
                        if (opened != null) opened.close();
                        return;
                    }
                    if (c.mode == Mode.CLOSED || c.exchange != current) {
                        if (opened != null && c.mode == Mode.CLOSED && !current.sent && current.bodyDone()) {
                            sendAbandoned(current, opened);
                            return;
                        }
                        if (opened != null) opened.close();
                        if (c.mode == Mode.CLOSED) current.release();
                    } else if (opened == null) {
                        // Never sent, and close() keeps an unsent complete request for sendAbandoned: give its
                        // buffered body back here, or the connection's input buffer stays held.
                        current.release();
                        c.guard.reply(503, "Service Unavailable", !"HEAD".equals(current.request.method()));
                    } else {
                        c.link = opened;
                        send();
                        c.updateReading(); // reading may have stopped at the read-ahead bound while it waited
                    }
                });
    }

    /** The request of a client that left while its worker connection opened: sent, then that connection closed. */
    private static void sendAbandoned(Exchange request, BackendLink opened) {
        opened.write(request.headForWorker(opened.channel().alloc()));
        if (request.bufferedBody != null) opened.write(request.bufferedBody.retainedDuplicate());
        request.release();
        opened.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> opened.close());
    }

    private void send() {
        var link = c.link;
        link.write(c.exchange.headForWorker(link.channel().alloc()));
        if (c.exchange.bufferedBody != null) link.write(c.exchange.bufferedBody.retainedDuplicate());
        c.exchange.sent = true;
        forwardBody();
        if (c.mode == Mode.EXCHANGE) link.channel().flush();
    }

    /** Streams the request body's bytes that have arrived to the worker, exactly as framed. */
    void forwardBody() {
        var current = c.exchange;
        if (current == null || !current.sent || current.bodyDone() || c.in.isEmpty()) return;
        current.bodyStarted = true;
        int bytes;
        try {
            bytes = current.body.scan(c.in.buffer());
        } catch (ProtocolException e) {
            malformedBody();
            return;
        }
        if (bytes > 0) c.link.write(c.in.buffer().readRetainedSlice(bytes));
        c.in.releaseIfEmpty(c.client.alloc());
        if (!current.bodyDone()) {
            if (bytes > 0) bodyArrived();
            return;
        }
        c.clock.clear();
        if (current.responseDone) c.backendSide.finish();
    }

    /** The rest of the request body is due within body_timeout of now; past it, 408 (see {@link ClientConnection#cutOff}). */
    private void bodyArrived() {
        c.clock.cutOffIn(c.limits.bodyTimeout().toNanos());
        c.clock.headStarted();
    }

    /** The client's body broke its framing: 400 if no response has started, else both ends are closed. */
    private void malformedBody() {
        c.link.close(); // the worker sees the request abandoned
        c.link = null;
        if (c.exchange.response == null) c.guard.reply(400, "Bad Request", true);
        else c.close();
    }
}
