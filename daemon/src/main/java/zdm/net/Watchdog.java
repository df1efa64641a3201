package zdm.net;

import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The timer of one listener's client connections: a virtual thread that every {@link #TICK_NANOS} checks each
 * connection's {@link ClientTimer} (a deadline passed: cut the client off; a request waiting long: watch its client).
 * One pass over a set instead of a timer per read: arming a deadline is a volatile write on the data path, and
 * 10,000 connections take well under a millisecond to check. It parks while no connection is open, so an idle daemon
 * is not woken. Thread-safe.
 */
final class Watchdog implements AutoCloseable {
    /** Deadlines are kept to within this; also the lag before a long wait's client is watched. */
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** A request that waits this long for its response gets its client watched (see {@link AbortWatch}). */
    static final long WATCH_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /**
     * A worker connection kept for an idle client is closed after this: before node's own keep-alive timeout (5 s),
     * so it is the proxy that ends it, not the worker (no CLOSE-WAIT sockets piling up in the daemon, and no request
     * sent into a connection the worker is just closing), and 10,000 idle clients do not hold 10,000 of them.
     */
    static final long LINK_IDLE_NANOS = TimeUnit.SECONDS.toNanos(4);

    private final Set<ClientTimer> timers = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean closed;
    /** Set while it parks on an empty set; the first watch() then wakes it (not every one: accepts are frequent). */
    private volatile boolean sleeping;

    Watchdog(String name) {
        thread = Thread.ofVirtual().name(name).start(this::run);
    }

    /** A timer for a new client connection; {@link #forget} it when the connection ends. */
    ClientTimer watch(SocketChannel client) {
        var timer = new ClientTimer(client);
        timers.add(timer);
        if (sleeping) LockSupport.unpark(thread);
        return timer;
    }

    void forget(ClientTimer timer) {
        timers.remove(timer);
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }

    private void run() {
        while (!closed) {
            sleeping = true; // before the emptiness check: a watch() after it sees this and unparks
            if (timers.isEmpty()) LockSupport.park(this);
            sleeping = false;
            if (timers.isEmpty()) continue; // a spurious return, or close()
            LockSupport.parkNanos(this, TICK_NANOS);
            long now = System.nanoTime();
            for (var timer : timers) timer.check(now, WATCH_AFTER_NANOS, LINK_IDLE_NANOS);
        }
    }
}
