package zdm.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daemon-owned public socket of one app, forwarding each connection to a backend in rotation. It stays open for
 * the app's whole life, so clients never see "connection refused" while workers are replaced: a connection that finds
 * no ready worker waits (up to {@code waitForBackend}) for one to be added. Depending on the {@link ProxyProtocol}, a
 * connection is either a byte tunnel pinned to one worker, or relayed request by request (HTTP/1.x) so that
 * keep-alive clients move to workers in rotation at request boundaries. Every socket is served by the shared
 * {@link ProxyLoops}: each connection ({@link ClientConnection}) lives on one event loop with its worker connection;
 * at most {@link ProxyLimits#maxConnections()} client connections are open at once, past which the port stops
 * accepting and new connections wait in the kernel's queue. Thread-safe: every public method may be called from any
 * thread.
 */
public final class PortListener implements PublicPort {
    /** Kernel accept queue; Linux clamps it to net.core.somaxconn. Bursts during restarts should queue, not drop. */
    private static final int BACKLOG = 1024;

    private Channel server; // set once in open(), before the listener is published
    private int port;
    private final long waitForBackendNanos;
    private final ProxyProtocol protocol;
    private final Upstream upstream;
    /** Client connections, which close() must close (their backend connections are the upstream's). */
    private final Set<Channel> clients = ConcurrentHashMap.newKeySet();
    private final Traffic traffic;
    private final ProxyLimits limits;
    private final AddressCounts perAddress;
    /** The daemon-wide bound over every app's connections and buffers; it reopens this port through {@link #gate}. */
    private final ProxyBudget budget;
    /** When to accept: this app's limit and the daemon's budget. */
    private final AcceptGate accepts;
    private final Runnable gate;

    private PortListener(String app, Duration waitForBackend, ProxyProtocol protocol, Traffic traffic,
                         ProxyLimits limits, ProxyBudget budget) {
        this.budget = budget;
        this.limits = limits;
        this.perAddress = new AddressCounts(limits.maxConnectionsPerAddress());
        this.traffic = traffic;
        this.protocol = protocol;
        this.upstream = new Upstream(app);
        this.accepts = new AcceptGate(app, traffic, limits, budget);
        this.gate = accepts::reopen;
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
        return open(app, port, waitForBackend, protocol, traffic, limits, ProxyBudget.DAEMON);
    }

    /** As above, within {@code budget} (tests give a small one of their own). */
    static PortListener open(String app, int port, Duration waitForBackend, ProxyProtocol protocol,
                             Traffic traffic, ProxyLimits limits, ProxyBudget budget) throws IOException {
        var listener = new PortListener(app, waitForBackend, protocol, traffic, limits, budget);
        var bootstrap = new ServerBootstrap().group(ProxyLoops.group()).channel(ProxyLoops.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, BACKLOG)
                .handler(listener.accepts)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, ProxyLoops.ALLOCATOR)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel client) {
                        // Registered with its loop by now, so close() can close it.
                        listener.clients.add(client);
                        client.closeFuture().addListener(done -> listener.clients.remove(client));
                        if (listener.accepts.isClosed() || !listener.perAddress.admit(client)) {
                            client.close(); // close() may have missed this one, or its address has enough
                            return;
                        }
                        client.pipeline().addLast(new ClientConnection(listener));
                    }
                });
        var bound = bootstrap.bind(new InetSocketAddress(port)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            var e = bound.cause();
            throw new IOException(PortHolder.bindFailure(app, port, String.valueOf(e.getMessage()).contains("in use"),
                    e.getMessage()));
        }
        listener.server = bound.channel();
        listener.port = ((InetSocketAddress) listener.server.localAddress()).getPort();
        listener.accepts.bound(listener.server, listener.port);
        budget.register(listener.gate);
        return listener;
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
        return accepts.acceptedTotal();
    }

    ProxyLimits limits() {
        return limits;
    }

    ProxyBudget budget() {
        return budget;
    }

    ProxyProtocol protocol() {
        return protocol;
    }

    Upstream upstream() {
        return upstream;
    }

    long waitForBackendNanos() {
        return waitForBackendNanos;
    }

    /** Stops accepting and closes the listening socket; open connections and waiting connections are closed too. */
    @Override
    public void close() {
        accepts.close();
        budget.unregister(gate);
        upstream.shutDown();
        server.close().awaitUninterruptibly();
        for (var client : clients) client.close();
    }
}
