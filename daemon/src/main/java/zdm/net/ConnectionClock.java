package zdm.net;

import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The timers of one {@link ClientConnection}, on its event loop: the deadline by which the client must have sent
 * something (a whole request head, or the first byte of the next request on an idle keep-alive connection), the
 * silence after which an undecided client is taken for one that waits for the server to speak first, and the idle
 * time after which a worker connection kept for an idle client is closed. One scheduled task at a time, for the
 * earliest of them: moving a deadline later (every request does) is a field write, and the task, when it fires
 * early, schedules itself again for what is due then. Not thread-safe: confined to the loop.
 */
final class ConnectionClock {
    /**
     * A worker connection kept for an idle client is closed after this: well before the worker's own keep-alive
     * timeout (gunicorn's threaded worker 2 s, node and uvicorn 5 s), so it is the proxy that ends it, not the worker.
     * A request sent just as a worker closes an idle connection gets no answer: an idempotent one is sent again, but a
     * POST would get 502 (GunicornKeepAliveTest: 6 of 64 POSTs with 4 s here). Also no CLOSE-WAIT sockets pile up in
     * the daemon, and 10,000 idle clients do not hold 10,000 of them. A client idle longer pays one loopback connect.
     */
    static final long LINK_IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long NONE = Long.MAX_VALUE;

    private final ClientConnection connection;
    private final EventLoop loop;
    private long deadline = NONE;
    private boolean headStarted;
    private long silenceEnds = NONE;
    private long parkedUntil = NONE;
    private ScheduledFuture<?> task;
    private long taskAt = NONE;
    private boolean stopped;

    ConnectionClock(ClientConnection connection, EventLoop loop) {
        this.connection = connection;
        this.loop = loop;
    }

    /** Cuts the client off {@code nanos} from now unless {@link #clear()} comes first (silently, until a head starts). */
    void cutOffIn(long nanos) {
        headStarted = false;
        deadline = System.nanoTime() + nanos;
        ensureWake(deadline);
    }

    /** Keeps the deadline but says that a head has started (408 instead of a silent close). */
    void headStarted() {
        headStarted = true;
    }

    void clear() {
        deadline = NONE;
        headStarted = false;
    }

    /** An undecided client just sent bytes (or connected): its silence is timed from now. */
    void sniffing() {
        silenceEnds = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ProtocolSniffer.SILENCE_MILLIS);
        ensureWake(silenceEnds);
    }

    /** A worker connection is kept for the client from now (true), or taken back (false). */
    void parked(boolean kept) {
        parkedUntil = kept ? System.nanoTime() + LINK_IDLE_NANOS : NONE;
        if (kept) ensureWake(parkedUntil);
    }

    /** Whether a kept worker connection is past its idle time now, whether or not the task that closes it has run. */
    boolean parkedExpired() {
        return parkedUntil != NONE && System.nanoTime() - parkedUntil >= 0;
    }

    /** For good: the connection closed or became a tunnel. */
    void stop() {
        stopped = true;
        deadline = silenceEnds = parkedUntil = NONE;
        if (task != null) task.cancel(false);
        task = null;
    }

    private void ensureWake(long at) {
        if (stopped || (task != null && taskAt <= at)) return; // the task due earlier reschedules itself
        if (task != null) task.cancel(false);
        taskAt = at;
        task = loop.schedule(this::fire, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void fire() {
        task = null;
        taskAt = NONE;
        if (stopped) return;
        long now = System.nanoTime();
        if (silenceEnds != NONE && now - silenceEnds >= 0) {
            silenceEnds = NONE;
            connection.sniffTimedOut();
        }
        if (parkedUntil != NONE && now - parkedUntil >= 0) {
            parkedUntil = NONE;
            connection.parkedTooLong();
        }
        if (deadline != NONE && now - deadline >= 0) {
            deadline = NONE;
            connection.cutOff(headStarted);
            return;
        }
        if (stopped) return;
        long next = Math.min(deadline, Math.min(silenceEnds, parkedUntil));
        if (next != NONE) ensureWake(next);
    }
}
