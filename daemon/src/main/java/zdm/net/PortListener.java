package zdm.net;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The daemon-owned public socket of one app, forwarding each connection to a backend in rotation. It stays open for
 * the app's whole life, so clients never see "connection refused" while workers are replaced: a connection that finds
 * no ready worker waits (up to {@code waitForBackend}) for one to be added. One virtual thread accepts; each
 * connection is handled on its own virtual threads. Thread-safe: every public method may be called from any thread.
 */
public final class PortListener implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PortListener.class.getName());
    /** Kernel accept queue; Linux clamps it to net.core.somaxconn. Bursts during restarts should queue, not drop. */
    private static final int BACKLOG = 1024;
    /** Loopback connects succeed or are refused at once; this only bounds a worker whose accept queue is full. */
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    /** Back-off after an unexpected accept failure (e.g. out of file descriptors) so the loop does not spin. */
    private static final long ACCEPT_FAILURE_PAUSE_MILLIS = 100;

    private record Connected(Backend backend, SocketChannel channel) {}

    private final String app;
    private final ServerSocketChannel server;
    private final int port;
    private final long waitForBackendNanos;
    private final Rotation rotation = new Rotation();
    private final Map<Integer, Integer> openByWorker = new ConcurrentHashMap<>();
    /** Everything close() must close: clients still waiting for a backend, and running tunnels. */
    private final Set<AutoCloseable> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private volatile boolean closed;
    private Thread acceptThread; // set once in open(), before the listener is published

    private PortListener(String app, ServerSocketChannel server, int port, Duration waitForBackend) {
        this.app = app;
        this.server = server;
        this.port = port;
        // Saturate: Duration.toNanos() overflows beyond ~292 years, and "wait forever" must not throw.
        this.waitForBackendNanos = waitForBackend.isNegative() ? 0
                : waitForBackend.compareTo(Duration.ofNanos(Long.MAX_VALUE / 2)) > 0 ? Long.MAX_VALUE / 2
                : waitForBackend.toNanos();
    }

    /**
     * Binds the wildcard address on port (0.0.0.0, and [::] too where the JVM uses a dual-stack socket, so clients
     * that resolve "localhost" to ::1 are served as well) with SO_REUSEADDR (so a restarted daemon can rebind over
     * TIME_WAIT) and starts accepting. Port 0 binds an ephemeral port; see {@link #port()}.
     *
     * @throws IOException with a one-line message naming app and port if the port cannot be bound
     */
    public static PortListener open(String app, int port, Duration waitForBackend) throws IOException {
        var server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(port), BACKLOG);
        } catch (IOException e) {
            server.close();
            throw new IOException(bindFailure(app, port, e));
        }
        int bound = ((InetSocketAddress) server.getLocalAddress()).getPort();
        var listener = new PortListener(app, server, bound, waitForBackend);
        listener.acceptThread = Thread.ofVirtual().name("zdm-listen-" + app + ":" + bound).start(listener::acceptLoop);
        return listener;
    }

    private static String bindFailure(String app, int port, IOException e) {
        if (e instanceof BindException && String.valueOf(e.getMessage()).contains("in use")) {
            return "port " + port + " is already in use by another process; choose another port: for app " + app;
        }
        return "cannot listen on port " + port + " (" + e.getMessage() + "); choose another port: for app " + app;
    }

    /** The bound public port. */
    public int port() {
        return port;
    }

    /** Replace the rotation atomically. Connections already open to a backend that left the rotation are left to finish. */
    public void setBackends(List<Backend> ready) {
        rotation.replace(ready);
    }

    /** Open connections per worker id (for draining and ls); a worker with none is absent. A snapshot copy. */
    public Map<Integer, Integer> openConnections() {
        return Map.copyOf(openByWorker);
    }

    /** Connections accepted since open, whether or not they reached a backend. */
    /** Stand-in until the HTTP-aware proxy lands: completes once no connection is open to the worker. */
    public java.util.concurrent.CompletableFuture<Void> whenIdle(int workerId) {
        var done = new java.util.concurrent.CompletableFuture<Void>();
        Thread.ofVirtual().start(() -> {
            while (openByWorker.getOrDefault(workerId, 0) > 0 && server.isOpen() && !done.isDone()) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
            done.complete(null);
        });
        return done;
    }

    public long acceptedTotal() {
        return accepted.get();
    }

    /** Stops accepting and closes the listening socket; open tunnels and waiting connections are closed too. */
    @Override
    public void close() {
        closed = true;
        rotation.shutDown();
        closeQuietly(server);
        for (var resource : live) closeQuietly(resource);
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
                client = server.accept();
            } catch (ClosedChannelException e) {
                return; // close() was called
            } catch (IOException e) {
                if (closed) return;
                LOG.log(System.Logger.Level.WARNING, "app " + app + " port " + port + ": accept failed: " + e.getMessage());
                if (!pauseAfterAcceptFailure()) return;
                continue;
            }
            long number = accepted.incrementAndGet();
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
        if (!track(client)) return;
        try {
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            var connected = connectToBackend();
            if (connected == null) return; // no backend within waitForBackend (or closing): the client sees EOF
            tunnel(client, connected);
        } catch (IOException | InterruptedException e) {
            // the client went away or the listener is closing: nothing to forward
        } finally {
            live.remove(client);
            closeQuietly(client);
        }
    }

    private void tunnel(SocketChannel client, Connected connected) {
        int workerId = connected.backend().workerId();
        var tunnel = new Tunnel(client, connected.channel());
        openByWorker.merge(workerId, 1, Integer::sum);
        try {
            if (track(tunnel)) tunnel.run(Thread.currentThread().getName());
        } finally {
            live.remove(tunnel);
            tunnel.close();
            openByWorker.computeIfPresent(workerId, (id, open) -> open == 1 ? null : open - 1);
        }
    }

    /** Registers a resource for close(); false (and closed) if the listener closed meanwhile. */
    private boolean track(AutoCloseable resource) {
        live.add(resource);
        if (!closed) return true;
        live.remove(resource);
        closeQuietly(resource);
        return false;
    }

    /**
     * Tries each backend of the current rotation at most once, starting at the round-robin position; a refused
     * connect means that worker died, so the next one is tried. When none is usable, waits for the rotation to change
     * and tries again, until waitForBackend has passed since the connection arrived.
     */
    private Connected connectToBackend() throws InterruptedException {
        long deadline = System.nanoTime() + waitForBackendNanos;
        var snapshot = rotation.snapshot();
        while (snapshot != null && !closed) {
            var backends = snapshot.backends();
            if (!backends.isEmpty()) {
                int start = rotation.startIndex(backends.size());
                for (int i = 0; i < backends.size(); i++) {
                    var backend = backends.get((start + i) % backends.size());
                    var channel = tryConnect(backend);
                    if (channel != null) return new Connected(backend, channel);
                }
            }
            snapshot = rotation.awaitNewerThan(snapshot, deadline);
        }
        return null;
    }

    private SocketChannel tryConnect(Backend backend) {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.socket().connect(new InetSocketAddress(Loopback.IPV4, backend.port()), CONNECT_TIMEOUT_MILLIS);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return channel;
        } catch (IOException e) {
            if (channel != null) closeQuietly(channel);
            LOG.log(System.Logger.Level.DEBUG, "app " + app + ": worker " + backend.workerId() + " on port "
                    + backend.port() + " did not accept: " + e.getMessage());
            return null;
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
