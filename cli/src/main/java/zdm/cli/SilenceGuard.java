package zdm.cli;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * Closes a connection whose daemon stays silent longer than {@code limit} while the CLI waits for
 * it (a blocking read has no timeout of its own; closing the channel ends the read). One platform
 * daemon thread per guard, sleeping; none when the limit is null. Used by one thread.
 */
final class SilenceGuard implements AutoCloseable {
    private final SocketChannel ch;
    private final Duration limit;
    private volatile long deadline;
    private volatile boolean armed;
    private volatile boolean fired;
    private Thread watcher;

    SilenceGuard(SocketChannel ch, Duration limit) {
        this.ch = ch;
        this.limit = limit;
    }

    /** A read begins: the daemon has {@code limit} to send its next frame. */
    void arm() {
        if (limit == null) return;
        deadline = System.nanoTime() + limit.toNanos();
        armed = true;
        if (watcher == null) watcher = Thread.ofPlatform().daemon().name("zdm-reply-timeout").start(this::watch);
    }

    /** A frame arrived. */
    void disarm() {
        armed = false;
    }

    /** True when the connection was closed for silence. */
    boolean fired() {
        return fired;
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
