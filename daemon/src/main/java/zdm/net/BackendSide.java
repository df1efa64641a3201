package zdm.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.net.ProtocolException;
import zdm.net.ClientConnection.Mode;

/**
 * The worker side of a {@link ClientConnection}: the events of its worker connections ({@link BackendHandler} passes
 * them here, told apart by channel). It relays the response of the exchange in flight, sends an idempotent request
 * once more when a worker dropped it unanswered, ends the exchange (keeping or closing the worker connection) and
 * turns the connection into a tunnel after an upgrade. Not thread-safe: confined to the connection's loop.
 */
final class BackendSide {
    private final ClientConnection c;

    BackendSide(ClientConnection connection) {
        this.c = connection;
    }

    /** Reads from the worker connection {@code from}, for the current exchange or a tunnel. */
    void backendRead(Channel from, ByteBuf bytes) {
        c.traffic.bytesOut.add(bytes.readableBytes());
        if (c.link == null || c.link.channel() != from || c.mode == Mode.CLOSED) {
            bytes.release();
            return;
        }
        if (c.mode == Mode.TUNNEL) {
            c.pipe.fromBackend(bytes);
            return;
        }
        if (c.mode == Mode.SNIFF) {
            c.tunnels.serverSpokeFirst(bytes);
            return;
        }
        if (c.exchange == null || !c.exchange.sent) { // a worker talking out of turn on an idle connection: drop it
            bytes.release();
            c.link.close();
            c.link = null;
            return;
        }
        var current = c.exchange;
        current.anyResponseByte = true;
        current.fromBackend = Exchange.append(c.client.alloc(), current.fromBackend, bytes);
        try {
            ResponseRelay.relay(current, c);
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
        if (c.link == null || c.link.channel() != from || c.mode == Mode.CLOSED) return;
        c.client.flush();
        c.guard.account(true); // what the client's socket did not take now waits in the daemon
    }

    void backendWritabilityChanged(Channel from) {
        if (c.link == null || c.link.channel() != from) return;
        if (c.mode == Mode.TUNNEL && c.pipe != null) c.pipe.writabilityChanged();
        else c.updateReading();
    }

    /** The worker connection {@code from} ended: {@code closed}, or only its input (a tunnel goes on the other way). */
    void backendEnded(Channel from, boolean closed) {
        if (c.link == null || c.link.channel() != from || c.mode == Mode.CLOSED) return;
        if (c.mode == Mode.TUNNEL) {
            c.pipe.backendEnded();
            // Closed (Netty closes a channel whose input and output have both ended): what it sent still leaves.
            if (closed) c.client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(future -> c.close());
            return;
        }
        if (c.mode == Mode.SNIFF) {
            c.tunnels.undecidedEnded();
            return;
        }
        var current = c.exchange;
        c.link.close();
        c.link = null;
        c.parked = false;
        if (current == null || !current.sent) return; // an idle kept connection the worker closed: open anew next time
        if (current.response != null) {
            if (current.responseBody != null && current.responseBody.untilClose()) {
                current.backendReusable = false;
                current.clientReusable = false;
                current.responseDone = true;
                finish(); // the body ends with the connection; the client learns it the same way
            } else {
                c.close(); // cut off inside the response: the client connection cannot continue
            }
            return;
        }
        // No final response. Not one byte: the worker cannot have processed it far enough to answer it (a reused
        // connection it had just closed, a worker that died), so an idempotent request is sent once more.
        if (current.retryable() && !current.anyResponseByte && current.attempt == 1) {
            current.resetResponse();
            c.requests.dispatch();
            return;
        }
        c.guard.reply(502, "Bad Gateway", !"HEAD".equals(current.request.method()));
    }

    /** A worker's response that cannot be relayed (a broken head, or body framing): 502 if nothing left yet. */
    private void brokenResponse() {
        if (c.exchange.response == null) {
            c.link.close();
            c.link = null;
            c.guard.reply(502, "Bad Gateway", !"HEAD".equals(c.exchange.request.method()));
        } else {
            c.close();
        }
    }

    private void responseComplete() {
        var current = c.exchange;
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
    void finish() {
        var done = c.exchange;
        c.exchange = null;
        done.release();
        c.served++;
        if (done.backendReusable) {
            c.listener.upstream().park(c.link);
            c.parked = true;
            c.clock.parked(true);
        } else if (c.link != null) {
            c.link.close();
            c.link = null;
        }
        if (!done.clientReusable || done.request.closesConnection()) {
            c.guard.closeAfterFlush();
            return;
        }
        c.mode = Mode.HEAD;
        c.client.flush();
        if (c.in.isEmpty()) c.clock.cutOffIn(c.limits.keepAliveTimeout().toNanos());
        c.process();
        c.updateReading();
    }

    /** After a 101 or a successful CONNECT: the connection is pinned to this worker, counted for it, until closed. */
    private void upgraded() {
        var current = c.exchange;
        c.exchange = null;
        var rest = current.fromBackend;
        current.fromBackend = null;
        current.release();
        if (rest != null && rest.isReadable()) c.client.write(rest);
        else if (rest != null) rest.release();
        c.client.flush();
        c.mode = Mode.TUNNEL;
        c.clock.stop();
        c.pipe = new Pipe(c.client, c.link.channel());
        var unread = c.in.take();
        if (unread != null) c.pipe.fromClient(unread);
        c.pipe.flushToBackend();
    }
}
