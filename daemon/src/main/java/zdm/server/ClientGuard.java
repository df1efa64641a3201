package zdm.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import zdm.protocol.FrameBudget;
import zdm.protocol.ProtocolException;
import zdm.protocol.Wire;

/**
 * Bounds what one client can cost the daemon. A connection waiting for its next request is
 * <em>idle</em>: it is closed after {@code idleTimeout}, and when too many are idle the oldest is
 * closed to make room, so thousands of silent connections can never lock a real client out. A
 * write that makes no progress for {@code writeStall} (a client that stopped reading) closes the
 * connection instead of holding its thread and buffers forever. A request's buffer grows with the
 * bytes that arrive, and all partial requests together hold at most 32 MiB. Thread-safe.
 */
final class ClientGuard {
    /**
     * Every write of a reply arms a timer and cancels it when the write returns: a cancelled timer is removed
     * at once, not kept queued until it would have fired (a reload's progress lines left one per line).
     */
    private static final ScheduledExecutorService TIMERS = timers();

    private static ScheduledExecutorService timers() {
        var t = new java.util.concurrent.ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("zdm-client-timers").factory());
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    private final Duration idleTimeout;
    private final Duration writeStall;
    private final int maxIdle;
    /** Bytes held for requests still arriving, all connections together (a frame is at most 1 MiB). */
    private final FrameBudget frames = new FrameBudget(32L << 20);
    private final LinkedHashSet<SocketChannel> idle = new LinkedHashSet<>(); // oldest first; guarded by this

    ClientGuard(Duration idleTimeout, Duration writeStall, int maxIdle) {
        this.idleTimeout = idleTimeout;
        this.writeStall = writeStall;
        this.maxIdle = maxIdle;
    }

    /** Defaults, with {@code ZDM_CLIENT_IDLE_MS} as an override (tests use a short one). */
    static ClientGuard fromEnvironment() {
        long idleMs = 60_000;
        try {
            var env = System.getenv("ZDM_CLIENT_IDLE_MS");
            if (env != null) idleMs = Long.parseLong(env.trim());
        } catch (NumberFormatException ignored) {
            // keep the default: a bad override must not stop the daemon
        }
        return new ClientGuard(Duration.ofMillis(idleMs), Duration.ofSeconds(30), 1000);
    }

    /** Reads the next request frame, as an idle connection; null at a clean end of stream. */
    byte[] nextRequest(SocketChannel ch) throws IOException, ProtocolException {
        SocketChannel evict = null;
        synchronized (this) {
            idle.add(ch);
            if (idle.size() > maxIdle) {
                evict = idle.iterator().next();
                idle.remove(evict);
            }
        }
        if (evict != null) closeQuietly(evict); // outside the lock: closing is I/O
        var timer = TIMERS.schedule(() -> closeQuietly(ch), idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return Wire.readFrame(ch, frames);
        } finally {
            timer.cancel(false);
            synchronized (this) {
                idle.remove(ch);
            }
        }
    }

    /**
     * Reads and drops what a refused client sends, until it hangs up or {@code maxBytes} or {@code
     * maxTime} have gone, so that a client still writing its request when the refusal was sent gets
     * to read the refusal instead of a broken pipe; the caller then closes.
     */
    static void discard(SocketChannel ch, int maxBytes, Duration maxTime) {
        var timer = TIMERS.schedule(() -> closeQuietly(ch), maxTime.toMillis(), TimeUnit.MILLISECONDS);
        try {
            var sink = ByteBuffer.allocate(Math.min(maxBytes, 8192));
            for (long total = 0; total < maxBytes; ) {
                int n = ch.read(sink.clear());
                if (n < 0) return;
                total += n;
            }
        } catch (IOException e) {
            // closed by the timer, or by the client: either way it is over
        } finally {
            timer.cancel(false);
        }
    }

    /** The channel the handlers write to: every write must progress within {@code writeStall}. */
    ByteChannel guarded(SocketChannel ch) {
        return new ByteChannel() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                var timer = TIMERS.schedule(() -> closeQuietly(ch), writeStall.toMillis(), TimeUnit.MILLISECONDS);
                try {
                    return ch.write(src);
                } finally {
                    timer.cancel(false);
                }
            }

            @Override
            public int read(ByteBuffer dst) throws IOException {
                return ch.read(dst);
            }

            @Override
            public boolean isOpen() {
                return ch.isOpen();
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // it is being dropped anyway
        }
    }
}
