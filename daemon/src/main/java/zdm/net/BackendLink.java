package zdm.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One open connection from the listener to a worker, counted for that worker from before its connect until
 * {@link #close()}. Its state tells who may close it: while BUSY only its owner (the client connection relaying a
 * request, or a tunnel, on the channel's event loop) uses it; while IDLE (an HTTP client between requests) the listener may close it at any moment
 * because its worker left the rotation. The owner takes it back with {@link #idleToBusy()}, which fails if the
 * listener closed it first. Thread-safe.
 */
final class BackendLink {
    private static final int BUSY = 0;
    private static final int IDLE = 1;
    private static final int CLOSED = 2;

    private final Backend backend;
    private final Channel channel;
    private final Consumer<BackendLink> onClosed;
    private final AtomicInteger state = new AtomicInteger(BUSY);
    /** For writes whose outcome nobody waits for: a failed one shows as the connection's end (see ClientConnection#writes). */
    private final ChannelPromise unwatched;

    BackendLink(Backend backend, Channel channel, Consumer<BackendLink> onClosed) {
        this.backend = backend;
        this.channel = channel;
        this.onClosed = onClosed;
        this.unwatched = new VoidChannelPromise(channel, false);
    }

    /** Writes without a flush and without a promise of its own; on the channel's loop. */
    void write(ByteBuf bytes) {
        channel.write(bytes, unwatched);
    }

    Backend backend() {
        return backend;
    }

    Channel channel() {
        return channel;
    }

    /** The owner wants to send a request on it; false if it was closed meanwhile. */
    boolean idleToBusy() {
        return state.compareAndSet(IDLE, BUSY);
    }

    /** The owner finished an exchange and keeps the connection for the next request. */
    void busyToIdle() {
        state.compareAndSet(BUSY, IDLE);
    }

    /** Closes it unless its owner is using it. */
    void closeIfIdle() {
        if (state.compareAndSet(IDLE, CLOSED)) release();
    }

    /** Idempotent; the worker's count drops exactly once. */
    void close() {
        if (state.getAndSet(CLOSED) != CLOSED) release();
    }

    private void release() {
        channel.close(); // from any thread: the channel's loop closes it
        onClosed.accept(this);
    }
}
