package zdm.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The backend side of one listener: the rotation, every open backend connection ({@link BackendLink}) and the
 * per-worker counts. Guarantees the drain contract: once {@link #setBackends} has removed a worker, no new request
 * or tunnel reaches it, its idle keep-alive connections are closed, and {@link #whenIdle} completes when the
 * connections still busy with it are done. Connects without blocking, on the event loop of the client connection
 * that asks, so both sides of a connection are served by one thread. Thread-safe.
 */
final class Upstream {
    /** Loopback connects succeed or are refused at once; this only bounds a worker whose accept queue is full. */
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

    /** One request for a backend connection, which may wait for the rotation to change. */
    private final class Attempt {
        final EventLoop loop;
        final long deadlineNanos;
        final ChannelHandler handler;
        final Consumer<BackendLink> done;
        Rotation.Snapshot seen;
        int tried;
        int start;

        Attempt(EventLoop loop, long deadlineNanos, ChannelHandler handler, Consumer<BackendLink> done) {
            this.loop = loop;
            this.deadlineNanos = deadlineNanos;
            this.handler = handler;
            this.done = done;
        }
    }

    private final String app;
    private final Rotation rotation = new Rotation();
    private final WorkerConnections counts = new WorkerConnections();
    private final Set<BackendLink> links = ConcurrentHashMap.newKeySet();
    /** Attempts that found no usable worker and wait for the rotation to change (or their deadline). */
    private final Set<Attempt> waiting = ConcurrentHashMap.newKeySet();
    private final Bootstrap bootstrap;
    private volatile boolean shutDown;

    Upstream(String app) {
        this.app = app;
        this.bootstrap = new Bootstrap().channel(ProxyLoops.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, ProxyLoops.ALLOCATOR)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS);
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
        for (var attempt : waiting) wake(attempt);
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
     * Opens a busy link to a worker in rotation, on {@code loop}, with {@code handler} on its channel. Tries each
     * backend of the current rotation at most once, starting at the round-robin position (a refused connect means
     * that worker died, so the next one is tried); when none is usable, waits for the rotation to change and tries
     * again until the deadline (System.nanoTime). {@code done} gets the link, or null at the deadline or when shut
     * down, always on {@code loop}.
     */
    void open(EventLoop loop, long deadlineNanos, ChannelHandler handler, Consumer<BackendLink> done) {
        var attempt = new Attempt(loop, deadlineNanos, handler, done);
        restart(attempt);
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

    /** Closes every backend connection and ends every wait for a backend. */
    void shutDown() {
        shutDown = true;
        for (var link : links) link.close();
        for (var attempt : waiting) wake(attempt);
    }

    private void restart(Attempt attempt) {
        attempt.seen = rotation.snapshot();
        attempt.tried = 0;
        attempt.start = attempt.seen.backends().isEmpty() ? 0 : rotation.startIndex(attempt.seen.backends().size());
        next(attempt);
    }

    /** Tries the next untried backend of the attempt's snapshot, or waits for a newer rotation. */
    private void next(Attempt attempt) {
        if (shutDown) {
            attempt.done.accept(null);
            return;
        }
        var backends = attempt.seen.backends();
        if (attempt.tried >= backends.size()) {
            await(attempt);
            return;
        }
        var backend = backends.get((attempt.start + attempt.tried++) % backends.size());
        // Counted BEFORE checking the rotation and connecting: a drain reads the count after removing the worker, so
        // either this sees the worker gone or the drain sees this connection.
        counts.opened(backend.workerId());
        if (!inRotation(backend)) {
            counts.closed(backend.workerId());
            next(attempt);
            return;
        }
        var connect = bootstrap.clone(attempt.loop).handler(attempt.handler)
                .connect(new InetSocketAddress(Loopback.IPV4, backend.port()));
        connect.addListener(future -> {
            if (!future.isSuccess()) {
                counts.closed(backend.workerId());
                // Not logged: a worker that stopped listening (draining, exited) is routine, and the next one is tried.
                next(attempt);
                return;
            }
            var link = new BackendLink(backend, connect.channel(), this::forget);
            links.add(link);
            // Re-checked after the connect, so nothing is ever sent to a worker that has left meanwhile.
            if (shutDown || !inRotation(backend)) {
                link.close();
                next(attempt);
                return;
            }
            attempt.done.accept(link);
        });
    }

    /** No usable worker in the snapshot: wait for the rotation to change, or give up at the deadline. */
    private void await(Attempt attempt) {
        long remaining = attempt.deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            attempt.done.accept(null);
            return;
        }
        waiting.add(attempt);
        // A change that came after this attempt's snapshot but before it was added may have been missed: re-check.
        if (rotation.snapshot().version() != attempt.seen.version() || shutDown) {
            wake(attempt);
            return;
        }
        attempt.loop.schedule(() -> {
            if (waiting.remove(attempt)) attempt.done.accept(null);
        }, remaining, TimeUnit.NANOSECONDS);
    }

    /** Whoever removes the attempt from the waiting set owns it: it goes on exactly once. */
    private void wake(Attempt attempt) {
        if (waiting.remove(attempt)) attempt.loop.execute(() -> restart(attempt));
    }

    private void forget(BackendLink link) {
        links.remove(link);
        counts.closed(link.backend().workerId());
    }
}
