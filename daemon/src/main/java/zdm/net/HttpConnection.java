package zdm.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Serves one client connection in HTTP/1.x mode, request by request. Each request goes to the backend connection the
 * previous one used while that worker is still in the rotation (locality, no connect per request); at a request
 * boundary after the worker left the rotation, or after the backend closed the connection, the next request goes to
 * a fresh connection to a worker in rotation. That is what lets keep-alive clients leave a draining worker without
 * noticing. Runs on the connection's virtual thread; not thread-safe.
 */
final class HttpConnection {
    private final SocketChannel client;
    private final Inbound fromClient;
    /** Borrowed from the pool for each request, given back when the client goes idle. */
    private final Inbound fromBackend = Inbound.withoutBuffer();
    private final Traffic traffic; // null: not counted
    private final Upstream upstream;
    private final long waitForBackendNanos;
    private final String threadName;
    private final String clientAddress;
    private final HttpExchange exchange;
    private final ProxyLimits limits;
    private final ClientTimer timer;
    private BackendLink link; // the backend connection kept between requests, or null
    private long served; // requests answered on this connection

    /**
     * @param fromClient the client's receive buffer, possibly holding bytes already read while sniffing
     * @param timer      the client's clock, whose deadline for the first request head is already set
     * @param traffic    where bytes read from workers count as the app's outgoing traffic (the caller counts the
     *                   client's); null: not counted
     */
    HttpConnection(SocketChannel client, Inbound fromClient, Upstream upstream, long waitForBackendNanos,
                   String threadName, Traffic traffic, ProxyLimits limits, ClientTimer timer) throws IOException {
        this.limits = limits;
        this.timer = timer;
        this.traffic = traffic;
        if (traffic != null) fromBackend.countingInto(traffic.bytesOut);
        this.client = client;
        this.fromClient = fromClient;
        this.upstream = upstream;
        this.waitForBackendNanos = waitForBackendNanos;
        this.threadName = threadName;
        this.clientAddress = ((InetSocketAddress) client.getRemoteAddress()).getAddress().getHostAddress();
        this.exchange = new HttpExchange(client, fromClient, fromBackend, threadName, timer);
    }

    /** Serves requests until the client leaves, asks to close, or the connection becomes a tunnel and it ends. */
    void run() throws IOException, InterruptedException {
        try {
            while (serveOne()) {
                fromBackend.giveBack(BufferPool.SHARED); // an idle client holds no response buffer
            }
        } finally {
            fromBackend.giveBack(BufferPool.SHARED);
            if (link != null) link.close();
        }
    }

    /** @return whether the client connection can carry another request */
    private boolean serveOne() throws IOException, InterruptedException {
        HttpExchange.Request request;
        try {
            if (!awaitHeadStart()) return false; // the client closed between requests: the normal end of keep-alive
            int headBytes = fromClient.readHead(client, limits.maxHeadBytes());
            if (!timer.clear()) return false; // cut off by the head timeout just now
            var head = HttpHead.parseRequest(fromClient.array(), fromClient.position(), headBytes);
            var framing = HttpFraming.ofRequest(head);
            fromClient.skip(headBytes);
            long buffered = switch (framing) {
                case HttpFraming.None none -> 0;
                case HttpFraming.Length length -> length.bytes() <= fromClient.available() ? length.bytes() : -1;
                default -> -1;
            };
            request = new HttpExchange.Request(head, head.forBackend(clientAddress), framing, buffered);
        } catch (Inbound.HeadTooLargeException e) {
            if (timer.clear()) reply(431, "Request Header Fields Too Large", true);
            return false;
        } catch (ProtocolException e) {
            if (timer.clear()) reply(400, "Bad Request", true);
            return false;
        }
        boolean withBody = !"HEAD".equals(request.head().method());
        // A retry sends the request again: only safe when doing it twice cannot matter and the body can be resent.
        boolean retryable = request.head().isIdempotent() && request.bufferedBody() >= 0;
        timer.parked(null); // from here on this thread decides what happens to the kept link
        fromBackend.borrow(BufferPool.SHARED);
        for (int attempt = 1; ; attempt++) {
            if (!pickLink()) {
                reply(503, "Service Unavailable", withBody);
                return false;
            }
            var abandoned = link;
            var watch = new AbortWatch(client, fromClient, abandoned::close, threadName);
            HttpExchange.Outcome outcome;
            try {
                outcome = exchange.relay(request, link.channel(), watch);
            } finally {
                timer.doneWaiting();
            }
            if (watch.clientLeft()) return false; // its backend connection is closed: the app has seen it go
            switch (outcome) {
                case HttpExchange.Outcome.MalformedBody malformed -> {
                    link.close(); // the body pump closed its channel: the worker has seen the request abandoned
                    link = null;
                    reply(400, "Bad Request", true);
                    return false;
                }
                case HttpExchange.Outcome.NoResponse noResponse -> {
                    link.close();
                    link = null;
                    if (retryable && noResponse.nothingReceived() && attempt == 1) continue;
                    reply(502, "Bad Gateway", withBody);
                    return false;
                }
                case HttpExchange.Outcome.Completed completed -> {
                    served++;
                    if (request.bufferedBody() > 0) fromClient.skip((int) request.bufferedBody());
                    if (completed.backendReusable()) {
                        upstream.park(link);
                        timer.parked(link);
                    } else {
                        link.close();
                        link = null;
                    }
                    return completed.clientReusable() && !request.head().closesConnection();
                }
                case HttpExchange.Outcome.Upgraded upgraded -> {
                    if (request.bufferedBody() > 0) fromClient.skip((int) request.bufferedBody());
                    tunnel();
                    return false;
                }
            }
        }
    }

    /**
     * Waits for the first byte of a request: on a kept-alive connection for up to the keep-alive timeout, then it has
     * the head timeout to finish the head (the first request's deadline runs from the connect, set by the listener).
     *
     * @return false if the client closed the connection instead
     */
    private boolean awaitHeadStart() throws IOException {
        if (fromClient.available() == 0) {
            if (served > 0 && !timer.cutOffIn(limits.keepAliveTimeout().toNanos(), false)) return false;
            if (fromClient.fill(client) < 0) return false;
        }
        if (served == 0) {
            timer.headStarted();
            return true;
        }
        return timer.cutOffIn(limits.headTimeout().toNanos(), true);
    }

    /**
     * Makes {@link #link} a busy connection to a worker in rotation: the kept one if its worker is still in rotation
     * and the server has not closed it, else a new one (waiting up to waitForBackend for a worker).
     */
    private boolean pickLink() throws InterruptedException {
        if (link != null) {
            if (upstream.reuse(link) && stillOpen(link.channel())) return true;
            link.close();
            link = null;
        }
        link = upstream.open(System.nanoTime() + waitForBackendNanos);
        return link != null;
    }

    /**
     * Whether a kept connection is still usable: a server closes idle keep-alive connections on its own timer, and
     * sending a request into one it already closed would fail it. A non-blocking read costs one system call; a
     * close that races with the request is caught by the retry instead.
     */
    private boolean stillOpen(SocketChannel channel) {
        fromBackend.clear();
        try {
            channel.configureBlocking(false);
            try {
                return fromBackend.fill(channel) == 0; // -1: closed; bytes: a server talking out of turn
            } finally {
                channel.configureBlocking(true);
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** After an upgrade: the connection is pinned to this worker, and counted for it, until either side closes. */
    private void tunnel() {
        var pinned = link;
        link = null;
        try {
            new Tunnel(client, pinned.channel(), fromClient.buffer(), fromBackend.handOver()).counting(traffic).run(threadName);
        } finally {
            pinned.close();
        }
    }

    /** A response of the proxy's own, after which the connection closes (its state is unknown or broken). */
    private void reply(int status, String reason, boolean withBody) {
        String body = status + " " + reason + "\n";
        String text = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.length() + "\r\nConnection: close\r\n\r\n" + (withBody ? body : "");
        try {
            var bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) client.write(bytes);
        } catch (IOException ignored) {
            // the client is gone: nothing to tell it
        }
    }
}
