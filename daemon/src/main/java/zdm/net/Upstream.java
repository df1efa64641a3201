package zdm.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backend side of one listener: the rotation, every open backend connection ({@link BackendLink}) and the
 * per-worker counts. Guarantees the drain contract: once {@link #setBackends} has removed a worker, no new request
 * or tunnel reaches it, its idle keep-alive connections are closed, and {@link #whenIdle} completes when the
 * connections still busy with it are done. Thread-safe.
 */
final class Upstream {
    private static final System.Logger LOG = System.getLogger(Upstream.class.getName());
    /** Loopback connects succeed or are refused at once; this only bounds a worker whose accept queue is full. */
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

    private final String app;
    private final Rotation rotation = new Rotation();
    private final WorkerConnections counts = new WorkerConnections();
    private final Set<BackendLink> links = ConcurrentHashMap.newKeySet();
    private volatile boolean shutDown;

    Upstream(String app) {
        this.app = app;
    }

    /**
     * Replaces the rotation, then closes the idle connections of workers that left it. Ordering matters: an owner
     * parking a link sets it idle and then reads the rotation, this writes the rotation and then looks for idle links,
     * so one of the two always sees the other and no idle link to a removed worker survives.
     */
    void setBackends(List<Backend> ready) {
        rotation.replace(ready);
        for (var link : links) {
            if (!inRotation(link.backend())) link.closeIfIdle();
        }
    }

    boolean inRotation(Backend backend) {
        return rotation.snapshot().backends().contains(backend);
    }

    Map<Integer, Integer> openConnections() {
        return counts.snapshot();
    }

    CompletableFuture<Void> whenIdle(int workerId) {
        return counts.whenIdle(workerId);
    }

    /**
     * A new busy link to a worker in rotation. Tries each backend of the current rotation at most once, starting at
     * the round-robin position (a refused connect means that worker died, so the next one is tried); when none is
     * usable, waits for the rotation to change and tries again until the deadline (System.nanoTime).
     *
     * @return the link, or null at the deadline or when shut down
     */
    BackendLink open(long deadlineNanos) throws InterruptedException {
        var snapshot = rotation.snapshot();
        while (snapshot != null && !shutDown) {
            var backends = snapshot.backends();
            if (!backends.isEmpty()) {
                int start = rotation.startIndex(backends.size());
                for (int i = 0; i < backends.size(); i++) {
                    var link = tryOpen(backends.get((start + i) % backends.size()));
                    if (link != null) return link;
                }
            }
            snapshot = rotation.awaitNewerThan(snapshot, deadlineNanos);
        }
        return null;
    }

    /** Takes an idle link back for the next request: false (and closed) if its worker left the rotation meanwhile. */
    boolean reuse(BackendLink link) {
        if (!link.idleToBusy()) return false; // the listener closed it: its worker left
        if (inRotation(link.backend())) return true;
        link.close();
        return false;
    }

    /** Keeps a link for the owner's next request, unless its worker has left the rotation (see setBackends). */
    void park(BackendLink link) {
        link.busyToIdle();
        if (!inRotation(link.backend())) link.closeIfIdle();
    }

    /** Closes every backend connection and wakes everything waiting for a backend. */
    void shutDown() {
        shutDown = true;
        rotation.shutDown();
        for (var link : links) link.close();
    }

    /**
     * Counts the connection BEFORE checking the rotation and connecting: a drain reads the count after removing the
     * worker, so either this sees the worker gone or the drain sees this connection. Re-checked after the connect,
     * which can take a while, so nothing is ever sent to a worker that has left.
     */
    private BackendLink tryOpen(Backend backend) {
        counts.opened(backend.workerId());
        if (!inRotation(backend)) {
            counts.closed(backend.workerId());
            return null;
        }
        var channel = tryConnect(backend);
        if (channel == null) {
            counts.closed(backend.workerId());
            return null;
        }
        var link = new BackendLink(backend, channel, this::forget);
        links.add(link);
        if (shutDown || !inRotation(backend)) {
            link.close();
            return null;
        }
        return link;
    }

    private void forget(BackendLink link) {
        links.remove(link);
        counts.closed(link.backend().workerId());
    }

    private SocketChannel tryConnect(Backend backend) {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.socket().connect(new InetSocketAddress(Loopback.IPV4, backend.port()), CONNECT_TIMEOUT_MILLIS);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return channel;
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing was sent on it
                }
            }
            LOG.log(System.Logger.Level.DEBUG, "app " + app + ": worker " + backend.workerId() + " on port "
                    + backend.port() + " did not accept: " + e.getMessage());
            return null;
        }
    }
}
