package zdm.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A worker stand-in on 127.0.0.1 whose every connection is served by the test's own code on a virtual thread, with a
 * small receive buffer (4 KiB asked; the kernel doubles it), so that what a worker does not read soon waits in the
 * daemon, not in the kernel.
 */
final class RawWorker implements AutoCloseable {
    interface Serve {
        void serve(SocketChannel connection) throws Exception;
    }

    private final ServerSocketChannel server;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();

    RawWorker(Serve serve) throws IOException {
        server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_RCVBUF, 4096); // accepted sockets inherit it
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread.ofVirtual().start(() -> {
            while (server.isOpen()) {
                try {
                    var connection = server.accept();
                    connections.add(connection);
                    Thread.ofVirtual().start(() -> {
                        try (connection) {
                            serve.serve(connection);
                        } catch (Exception e) {
                            // the proxy went away, or the test ended: fine for a stand-in
                        } finally {
                            connections.remove(connection);
                        }
                    });
                } catch (IOException e) {
                    return; // closed
                }
            }
        });
    }

    Backend backend() throws IOException {
        return new Backend(1, ((InetSocketAddress) server.getLocalAddress()).getPort());
    }

    /** Reads up to the end of a request head (the bytes after it in the same read are dropped). */
    static void readHead(SocketChannel connection) throws IOException {
        var seen = new StringBuilder();
        var buffer = ByteBuffer.allocate(1024);
        while (seen.indexOf("\r\n\r\n") < 0) {
            if (connection.read(buffer.clear()) < 0) throw new IOException("closed before a whole head");
            seen.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1));
        }
    }

    static void write(SocketChannel connection, String text) throws IOException {
        var buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        while (buffer.hasRemaining()) connection.write(buffer);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (var connection : connections) connection.close();
    }
}
