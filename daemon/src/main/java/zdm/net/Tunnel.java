package zdm.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A byte-for-byte TCP tunnel between a client and a backend, both blocking channels. Each direction is copied on its
 * own virtual thread with one buffer, allocated up front or handed over. EOF on one side half-closes the other side
 * (shutdownOutput) and the opposite direction keeps flowing until it ends too; any error closes both sides. Used by one
 * {@link PortListener} handler thread; {@link #close()} may be called from any thread.
 */
final class Tunnel implements AutoCloseable {
    /** 32 KiB: enough to keep loopback copies cheap while thousands of idle tunnels stay affordable. */
    private static final int BUFFER_BYTES = 32 * 1024;

    private final SocketChannel client;
    private final SocketChannel backend;
    private final ByteBuffer fromClient;
    private final ByteBuffer fromBackend;
    private Traffic traffic; // null: not counted

    Tunnel(SocketChannel client, SocketChannel backend) {
        this(client, backend, null, null);
    }

    /**
     * A tunnel that first forwards bytes already read from either side (a sniffed prefix, or what followed an HTTP
     * upgrade), each buffer in read mode and then reused for that direction; null allocates a fresh one.
     */
    Tunnel(SocketChannel client, SocketChannel backend, ByteBuffer fromClient, ByteBuffer fromBackend) {
        this.client = client;
        this.backend = backend;
        this.fromClient = fromClient != null ? fromClient : emptyBuffer();
        this.fromBackend = fromBackend != null ? fromBackend : emptyBuffer();
    }

    /** Direct: the channel reads straight into it, with no hidden copy through a temporary direct buffer. */
    private static ByteBuffer emptyBuffer() {
        return ByteBuffer.allocateDirect(BUFFER_BYTES).limit(0);
    }

    /**
     * Counts bytes read from each side into the app's traffic (call before {@link #run}). Bytes handed over
     * in the constructor were read, and counted, by whoever read them.
     */
    Tunnel counting(Traffic t) {
        traffic = t;
        return this;
    }

    /** Copies both directions until both have ended (or one failed), then closes both channels. */
    void run(String threadName) {
        var out = traffic == null ? null : traffic.bytesOut;
        var in = traffic == null ? null : traffic.bytesIn;
        var toClient = Thread.ofVirtual().name(threadName + "-out").start(() -> pump(backend, client, fromBackend, out));
        pump(client, backend, fromClient, in);
        try {
            toClient.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
    }

    private void pump(SocketChannel from, SocketChannel to, ByteBuffer buffer, java.util.concurrent.atomic.LongAdder counted) {
        try {
            while (buffer.hasRemaining()) to.write(buffer);
            int read;
            while ((read = from.read(buffer.clear())) >= 0) {
                if (counted != null) counted.add(read);
                buffer.flip();
                while (buffer.hasRemaining()) to.write(buffer);
            }
            to.shutdownOutput(); // pass the EOF on; the peer may still answer in the other direction
        } catch (IOException e) {
            // Reset, broken pipe, or closed by the other direction or by the listener: nothing more can flow.
            close();
        }
    }

    /** Idempotent; unblocks both pumps. */
    @Override
    public void close() {
        closeQuietly(client);
        closeQuietly(backend);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is best effort: the descriptor is released either way
        }
    }
}
