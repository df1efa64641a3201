package zdm.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A tiny worker stand-in on 127.0.0.1: accepts on a virtual thread, serves each connection on its own. */
final class TestBackend implements AutoCloseable {
    /** What the backend does with one accepted connection. */
    interface Behaviour {
        void serve(SocketChannel connection) throws IOException;
    }

    private final ServerSocketChannel server;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    final int workerId;

    private TestBackend(int workerId, Behaviour behaviour) throws IOException {
        this.workerId = workerId;
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread.ofVirtual().start(() -> acceptLoop(behaviour));
    }

    /** Echoes every byte; on EOF half-closes back. */
    static TestBackend echo(int workerId) throws IOException {
        return new TestBackend(workerId, TestBackend::echoUntilEof);
    }

    /** Sends "worker N\n" first, then echoes: tells the client which worker it reached. */
    static TestBackend identifying(int workerId) throws IOException {
        return new TestBackend(workerId, connection -> {
            writeFully(connection, ByteBuffer.wrap(("worker " + workerId + "\n").getBytes(StandardCharsets.US_ASCII)));
            echoUntilEof(connection);
        });
    }

    /** Reads everything until the client's EOF, then sends it all back and closes: needs half-close to work. */
    static TestBackend replyAfterEof(int workerId) throws IOException {
        return new TestBackend(workerId, connection -> {
            var received = new java.io.ByteArrayOutputStream();
            var buffer = ByteBuffer.allocate(64 * 1024);
            while (connection.read(buffer.clear()) >= 0) received.write(buffer.array(), 0, buffer.position());
            writeFully(connection, ByteBuffer.wrap(received.toByteArray()));
        });
    }

    /**
     * Reads until the client's EOF, then sends {@code reply} and closes; {@code stalled} counts down once the reply has
     * not moved for a second (every buffer between here and a client that does not read is full), or was all sent.
     */
    static TestBackend replyAfterEofUntilStalled(int workerId, byte[] reply, CountDownLatch stalled)
            throws IOException {
        return new TestBackend(workerId, connection -> {
            var buffer = ByteBuffer.allocate(64 * 1024);
            while (connection.read(buffer.clear()) >= 0) {
                // the request is not looked at
            }
            var out = ByteBuffer.wrap(reply);
            connection.configureBlocking(false);
            try (var selector = Selector.open()) {
                var key = connection.register(selector, SelectionKey.OP_WRITE);
                while (out.hasRemaining()) {
                    if (connection.write(out) == 0 && selector.select(1_000) == 0) stalled.countDown();
                    selector.selectedKeys().clear();
                }
                key.cancel();
            }
            stalled.countDown();
        });
    }

    Backend backend() {
        return new Backend(workerId, port());
    }

    int port() {
        try {
            return ((InetSocketAddress) server.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int accepted() {
        return accepted.get();
    }

    private void acceptLoop(Behaviour behaviour) {
        while (server.isOpen()) {
            try {
                var connection = server.accept();
                accepted.incrementAndGet();
                connections.add(connection);
                Thread.ofVirtual().start(() -> {
                    try (connection) {
                        behaviour.serve(connection);
                    } catch (IOException e) {
                        // the client or the proxy went away: fine for a test backend
                    } finally {
                        connections.remove(connection);
                    }
                });
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void echoUntilEof(SocketChannel connection) throws IOException {
        var buffer = ByteBuffer.allocate(64 * 1024);
        while (connection.read(buffer.clear()) >= 0) writeFully(connection, buffer.flip());
        connection.shutdownOutput();
    }

    private static void writeFully(SocketChannel connection, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) connection.write(buffer);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (var connection : connections) connection.close();
    }
}
