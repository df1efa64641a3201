package zdm.net;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The daemon-owned public socket of one app, forwarding each connection to a backend in rotation. It stays open for
 * the app's whole life, so clients never see "connection refused" while workers are replaced: a connection that finds
 * no ready worker waits (up to {@code waitForBackend}) for one to be added. Depending on the {@link ProxyProtocol}, a
 * connection is either a byte tunnel pinned to one worker, or relayed request by request (HTTP/1.x) so that
 * keep-alive clients move to workers in rotation at request boundaries. One virtual thread accepts; each connection
 * is handled on its own virtual threads; a {@link Watchdog} enforces the {@link ProxyLimits}' timeouts, and at most
 * {@link ProxyLimits#maxConnections()} connections are open at once. Thread-safe: every public method may be called
 * from any thread.
 */
public final class PortListener implements PublicPort {
    private static final System.Logger LOG = System.getLogger(PortListener.class.getName());
    /** Kernel accept queue; Linux clamps it to net.core.somaxconn. Bursts during restarts should queue, not drop. */
    private static final int BACKLOG = 1024;
    /** Back-off after an unexpected accept failure (e.g. out of file descriptors) so the loop does not spin. */
    private static final long ACCEPT_FAILURE_PAUSE_MILLIS = 100;

    private final String app;
    private final ServerSocketChannel server;
    private final int port;
    private final long waitForBackendNanos;
    private final ProxyProtocol protocol;
    private final Upstream upstream;
    /** Client connections, which close() must close (their backend connections are the upstream's). */
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final Traffic traffic;
    private final ProxyLimits limits;
    /** One per open client connection: accepting waits for one, so excess connections wait in the kernel's queue. */
    private final Semaphore connectionSlots;
    private final Watchdog watchdog;
    private volatile boolean closed;
    private Thread acceptThread; // set once in open(), before the listener is published

    private PortListener(String app, ServerSocketChannel server, int port, Duration waitForBackend,
                         ProxyProtocol protocol, Traffic traffic, ProxyLimits limits) {
        this.app = app;
        this.limits = limits;
        this.connectionSlots = new Semaphore(limits.maxConnections());
        this.watchdog = new Watchdog("zdm-timer-" + app + ":" + port);
        this.traffic = traffic;
        this.server = server;
        this.port = port;
        this.protocol = protocol;
        this.upstream = new Upstream(app);
        // Saturate: Duration.toNanos() overflows beyond ~292 years, and "wait forever" must not throw.
        this.waitForBackendNanos = waitForBackend.isNegative() ? 0
                : waitForBackend.compareTo(Duration.ofNanos(Long.MAX_VALUE / 2)) > 0 ? Long.MAX_VALUE / 2
                : waitForBackend.toNanos();
    }

    /** As {@link #open(String, int, Duration, ProxyProtocol)} with {@link ProxyProtocol#AUTO}. */
    public static PortListener open(String app, int port, Duration waitForBackend) throws IOException {
        return open(app, port, waitForBackend, ProxyProtocol.AUTO);
    }

    /**
     * Binds the wildcard address on port (0.0.0.0, and [::] too where the JVM uses a dual-stack socket, so clients
     * that resolve "localhost" to ::1 are served as well) with SO_REUSEADDR (so a restarted daemon can rebind over
     * TIME_WAIT) and starts accepting. Port 0 binds an ephemeral port; see {@link #port()}.
     *
     * @throws IOException with a one-line message naming app and port if the port cannot be bound
     */
    public static PortListener open(String app, int port, Duration waitForBackend, ProxyProtocol protocol)
            throws IOException {
        return open(app, port, waitForBackend, protocol, new Traffic());
    }

    /** As above, counting connections and bytes into {@code traffic} (the app's, which outlives listeners). */
    public static PortListener open(String app, int port, Duration waitForBackend, ProxyProtocol protocol,
                                    Traffic traffic) throws IOException {
        return open(app, port, waitForBackend, protocol, traffic, ProxyLimits.DEFAULTS);
    }

    /** As above, with these limits facing clients. */
    public static PortListener open(String app, int port, Duration waitForBackend, ProxyProtocol protocol,
                                    Traffic traffic, ProxyLimits limits) throws IOException {
        var server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(port), BACKLOG);
        } catch (IOException e) {
            server.close();
            throw new IOException(bindFailure(app, port, e));
        }
        int bound = ((InetSocketAddress) server.getLocalAddress()).getPort();
        var listener = new PortListener(app, server, bound, waitForBackend, protocol, traffic, limits);
        listener.acceptThread = Thread.ofVirtual().name("zdm-listen-" + app + ":" + bound).start(listener::acceptLoop);
        return listener;
    }

    private static String bindFailure(String app, int port, IOException e) {
        if (e instanceof BindException && String.valueOf(e.getMessage()).contains("in use")) {
            return "port " + port + " is already in use by " + PortHolder.describe(port).orElse("another process")
                    + "; choose another port: for app " + app;
        }
        return "cannot listen on port " + port + " (" + e.getMessage() + "); choose another port: for app " + app;
    }

    /** The bound public port. */
    @Override
    public int port() {
        return port;
    }

    /**
     * Replace the rotation atomically. Connections busy with a backend that left the rotation are left to finish
     * (tunnels until they close, HTTP requests until their response is complete); idle HTTP keep-alive connections to
     * it are closed at once, and their clients' next requests go to workers in the new rotation.
     */
    public void setBackends(List<Backend> ready) {
        upstream.setBackends(ready);
    }

    /**
     * Open backend connections per worker id (for draining and ls); a worker with none is absent. A snapshot copy.
     * An HTTP client connection counts for a worker while it holds a connection to it, idle between requests
     * included; a tunnel counts for its whole life.
     */
    public Map<Integer, Integer> openConnections() {
        return upstream.openConnections();
    }

    /**
     * Completes when no connection is pinned to this worker (immediately if none); used to drain a worker before
     * stopping it. Call after {@link #setBackends} removed the worker: from then on no new connection reaches it.
     */
    public CompletableFuture<Void> whenIdle(int workerId) {
        return upstream.whenIdle(workerId);
    }

    /** What this port has carried (shared with the app's earlier and later listeners). */
    public Traffic traffic() {
        return traffic;
    }

    /** Connections accepted since open, whether or not they reached a backend. */
    public long acceptedTotal() {
        return accepted.get();
    }

    /** Stops accepting and closes the listening socket; open connections and waiting connections are closed too. */
    @Override
    public void close() {
        closed = true;
        upstream.shutDown();
        closeQuietly(server);
        acceptThread.interrupt(); // it may be waiting for a connection slot
        watchdog.close();
        for (var client : clients) closeQuietly(client);
        try {
            acceptThread.join(Duration.ofSeconds(1)); // closing the channel unblocks accept() at once
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                connectionSlots.acquire();
            } catch (InterruptedException e) {
                return; // close() was called
            }
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return; // close() was called
            } catch (IOException e) {
                connectionSlots.release();
                if (closed) return;
                LOG.log(System.Logger.Level.WARNING, "app " + app + " port " + port + ": accept failed: " + e.getMessage());
                if (!pauseAfterAcceptFailure()) return;
                continue;
            }
            long number = accepted.incrementAndGet();
            traffic.connections.increment();
            Thread.ofVirtual().name("zdm-conn-" + app + "-" + number).start(() -> handle(client));
        }
    }

    private boolean pauseAfterAcceptFailure() {
        try {
            Thread.sleep(ACCEPT_FAILURE_PAUSE_MILLIS);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void handle(SocketChannel client) {
        clients.add(client);
        var timer = watchdog.watch(client);
        try {
            if (closed) return; // close() may have missed this one
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            String name = Thread.currentThread().getName();
            if (protocol == ProxyProtocol.TCP) {
                tunnel(client, null, name);
                return;
            }
            // The first request head is due within the head timeout of the connect; sniffing counts.
            timer.cutOffIn(limits.headTimeout().toNanos(), false);
            var fromClient = new Inbound(Inbound.CLIENT_INITIAL_BYTES).countingInto(traffic.bytesIn);
            if (protocol == ProxyProtocol.HTTP || ProtocolSniffer.looksLikeHttp(client, fromClient)) {
                new HttpConnection(client, fromClient, upstream, waitForBackendNanos, name, traffic, limits, timer).run();
            } else if (timer.clear()) { // a tunnel may idle for good: its protocol has its own timeouts
                tunnel(client, fromClient.buffer(), name);
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, was cut off by a timeout, or the listener is closing: nothing to forward
        } finally {
            watchdog.forget(timer);
            clients.remove(client);
            closeQuietly(client);
            connectionSlots.release();
        }
    }

    /** Pins the connection to one worker for its life; sniffed bytes, if any, are forwarded first. */
    private void tunnel(SocketChannel client, ByteBuffer sniffed, String name) throws InterruptedException {
        var link = upstream.open(System.nanoTime() + waitForBackendNanos);
        if (link == null) return; // no backend within waitForBackend (or closing): the client sees EOF
        try {
            new Tunnel(client, link.channel(), sniffed, null).counting(traffic).run(name);
        } finally {
            link.close();
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception ignored) {
            // best effort: the descriptor is released either way
        }
    }
}
