package zdm.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clock of one client connection, which its {@link Watchdog} checks every tick. Two things are timed:
 * <ul>
 *   <li>a deadline by which the client must have sent something (a whole request head, or the first byte of the next
 *   request on an idle keep-alive connection); past it the client is cut off: answered 408 if it had started a head,
 *   and closed, which also wakes the connection's thread blocked in a read;</li>
 *   <li>a request waiting for its response while nobody reads the client: once it has waited a while, the connection
 *   starts an {@link AbortWatch} so that a client that leaves is noticed and its request is abandoned.</li>
 * </ul>
 * The owner (the connection's thread) and the watchdog race for each through compare-and-set, so a client is never
 * cut off while the owner already answers it, and the owner knows when it was. Thread-safe.
 */
final class ClientTimer {
    private static final long NONE = 0;
    private static final long CUT_OFF = Long.MIN_VALUE;
    private static final byte[] TIMEOUT_RESPONSE = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 20\r\nConnection: close\r\n\r\n408 Request Timeout\n").getBytes(StandardCharsets.US_ASCII);

    private static final int NOT_WAITING = 0;
    private static final int WAITING = 1;
    private static final int WATCHED = 2;

    private final SocketChannel client;
    /** System.nanoTime of the cut-off, NONE, or CUT_OFF once the watchdog acted; never NONE by accident (see at). */
    private final AtomicLong deadline = new AtomicLong(NONE);
    private volatile boolean headStarted;
    private final AtomicInteger waitState = new AtomicInteger(NOT_WAITING);
    private volatile long waitingSince;
    private volatile AbortWatch watch;
    /** The worker connection kept for this client's next request while it is idle, and since when; or null. */
    private volatile BackendLink parked;
    private volatile long parkedSince;

    ClientTimer(SocketChannel client) {
        this.client = client;
    }

    /**
     * Cuts the client off {@code nanos} from now unless {@link #clear()} comes first; {@code headStarted}: it has
     * sent part of a request head, so it is told 408.
     * @return false if it was cut off already
     */
    boolean cutOffIn(long nanos, boolean headStarted) {
        this.headStarted = headStarted;
        long now = at(System.nanoTime() + nanos);
        long previous = deadline.get();
        return previous != CUT_OFF && deadline.compareAndSet(previous, now);
    }

    /** Keeps the deadline but says that a head has started (408 instead of a silent close). */
    void headStarted() {
        headStarted = true;
    }

    /** No deadline from now on; false if the client was cut off first (its channel is closed or closing). */
    boolean clear() {
        long previous = deadline.get();
        return previous != CUT_OFF && deadline.compareAndSet(previous, NONE);
    }

    /** From now on the request waits for its response and nobody reads the client; {@code watch} may be started. */
    void waitingForResponse(AbortWatch watch) {
        this.watch = watch;
        waitingSince = System.nanoTime();
        waitState.set(WAITING);
    }

    /** The wait is over: stops a started {@link AbortWatch} and waits until it no longer reads the client. */
    void doneWaiting() {
        if (waitState.getAndSet(NOT_WAITING) == WATCHED) watch.stopped().join();
        watch = null;
    }

    boolean stillWaiting() {
        return waitState.get() == WATCHED;
    }

    /**
     * The worker connection kept while the client is idle (null: none, or the owner takes it back). The watchdog
     * closes it once it has been idle a while: see {@link Watchdog#LINK_IDLE_NANOS}.
     */
    void parked(BackendLink link) {
        parkedSince = System.nanoTime();
        parked = link;
    }

    /** Called by the watchdog on each tick. */
    void check(long now, long watchAfterNanos, long linkIdleNanos) {
        var link = parked;
        if (link != null && now - parkedSince >= linkIdleNanos) {
            parked = null;
            link.closeIfIdle(); // a no-op if the owner took it back meanwhile (it is busy then)
        }
        long cutOff = deadline.get();
        if (cutOff != NONE && cutOff != CUT_OFF && now - cutOff >= 0 && deadline.compareAndSet(cutOff, CUT_OFF)) {
            cutOff();
        }
        if (waitState.get() == WAITING && now - waitingSince >= watchAfterNanos) {
            var w = watch;
            if (w != null && waitState.compareAndSet(WAITING, WATCHED)) w.start(this);
        }
    }

    private void cutOff() {
        try {
            // Nothing was written to this client since its last response completed, so its send buffer has room.
            if (headStarted) client.write(ByteBuffer.wrap(TIMEOUT_RESPONSE));
        } catch (IOException ignored) {
            // gone already
        }
        try {
            client.close();
        } catch (IOException ignored) {
            // best effort: the descriptor is released either way
        }
    }

    /** A deadline is never NONE or CUT_OFF by coincidence of nanoTime's value. */
    private static long at(long nanos) {
        return nanos == NONE || nanos == CUT_OFF ? nanos + 1 : nanos;
    }
}
