package zdm.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;

/**
 * A byte-for-byte tunnel between a client and a worker connection, both on one event loop. What one side sends is
 * written to the other as it arrives and flushed once per read; a side whose peer cannot take more stops being read
 * until it can. EOF on one side half-closes the other (once what went before it has been written) and the opposite
 * direction keeps flowing until it ends too; then both close. Not thread-safe: confined to the loop.
 */
final class Pipe {
    private final Channel client;
    private final Channel backend;
    private boolean clientEnded;
    private boolean backendEnded;
    private boolean closed;

    Pipe(Channel client, Channel backend) {
        this.client = client;
        this.backend = backend;
        client.config().setAutoRead(true);
    }

    void fromClient(ByteBuf bytes) {
        forward(bytes, backend, client);
    }

    void fromBackend(ByteBuf bytes) {
        forward(bytes, client, backend);
    }

    void flushToBackend() {
        backend.flush();
    }

    private void forward(ByteBuf bytes, Channel to, Channel from) {
        if (closed) {
            bytes.release();
            return;
        }
        to.write(bytes);
        if (!to.isWritable()) {
            to.flush(); // may make it writable again at once, which is why the verdict is taken after it
            from.config().setAutoRead(to.isWritable());
        }
    }

    /** Called on writability changes of either side: a side is read while its peer can take its bytes. */
    void writabilityChanged() {
        if (closed) return;
        client.config().setAutoRead(backend.isWritable());
        backend.config().setAutoRead(client.isWritable());
    }

    void clientEnded() {
        clientEnded = true;
        halfClose(backend);
    }

    void backendEnded() {
        backendEnded = true;
        halfClose(client);
    }

    private void halfClose(Channel to) {
        if (closed) return;
        if (clientEnded && backendEnded) {
            to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(future -> close());
            return;
        }
        // Netty fails writes still queued when the output shuts down: shut it once they have left.
        to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) future -> {
            if (to instanceof DuplexChannel duplex && to.isActive()) duplex.shutdownOutput();
        });
    }

    /** Idempotent. */
    void close() {
        if (closed) return;
        closed = true;
        client.close();
        backend.close();
    }
}
