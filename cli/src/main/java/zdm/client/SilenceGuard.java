package zdm.client;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * Closes a connection whose daemon stays silent longer than {@code limit} while the CLI waits for
 * it (a blocking read has no timeout of its own; closing the channel ends the read). One platform
 * daemon thread per guard, sleeping; none when the limit is null. Used by one thread.
 */
public final class SilenceGuard implements AutoCloseable {
    /**
     * How long a command waits for the daemon's next frame (a progress line or the answer) before it
     * gives up: 10 minutes, since a start or reload may wait up to a worker's listen_timeout between
     * progress lines. {@code ZDM_REPLY_TIMEOUT_MS} overrides it.
     */
    public static final Duration REPLY_TIMEOUT = Duration.ofMillis(
            Long.parseLong(System.getenv().getOrDefault("ZDM_REPLY_TIMEOUT_MS", "600000").strip()));

    private final SocketChannel ch;
    private final Duration limit;
    private volatile long deadline;
    private volatile boolean armed;
    private volatile boolean fired;
    private Thread watcher;

    public SilenceGuard(SocketChannel ch, Duration limit) {
        this.ch = ch;
        this.limit = limit;
    }

    /** A read begins: the daemon has {@code limit} to send its next frame. */
    public void arm() {
        if (limit == null) return;
        deadline = System.nanoTime() + limit.toNanos();
        armed = true;
        if (watcher == null) watcher = Thread.ofPlatform().daemon().name("zdm-reply-timeout").start(this::watch);
    }

    /** A frame arrived. */
    public void disarm() {
        armed = false;
    }

    /** True when the connection was closed for silence. */
    public boolean fired() {
        return fired;
    }

    /** What the CLI says when the daemon stays silent past {@link #REPLY_TIMEOUT}. */
    public static String stuck(java.nio.file.Path daemonLog) {
        return "the daemon sent nothing for " + REPLY_TIMEOUT.toMillis() / 1000.0 + " s, so it may be stuck; see "
                + daemonLog + ", and 'zdm kill' (or kill -9 its pid) if it stays so";
    }

    /** What the CLI says when the daemon closed the connection before its final answer (it stopped or crashed). */
    public static String closed(java.nio.file.Path daemonLog) {
        return "the daemon closed the connection (see " + daemonLog + ")";
    }

    private void watch() {
        try {
            while (ch.isOpen()) {
                long left = armed ? deadline - System.nanoTime() : limit.toNanos();
                if (left <= 0) {
                    fired = true;
                    ch.close();
                    return;
                }
                Thread.sleep(Math.min(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(left) + 1, 1000));
            }
        } catch (InterruptedException | IOException e) {
            // the exchange is over
        }
    }

    @Override
    public void close() {
        if (watcher != null) watcher.interrupt();
    }
}
