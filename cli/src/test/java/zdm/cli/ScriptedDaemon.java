package zdm.cli;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import zdm.protocol.Paths;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.protocol.Wire;

/**
 * A stand-in daemon on a real Unix socket: answers each request with the responses a script gives,
 * then closes the connection. Records the requests it received. Thread-safe.
 */
final class ScriptedDaemon implements AutoCloseable {
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final List<Exception> failures = new CopyOnWriteArrayList<>();
    private final Paths paths;
    private final ServerSocketChannel server;
    private final Function<Request, List<Response>> script;
    private final boolean holdOpen;
    private final Thread acceptor;
    private volatile SocketChannel current;

    ScriptedDaemon(Paths paths, Function<Request, List<Response>> script) throws IOException {
        this(paths, script, false);
    }

    /** With {@code holdOpen}, keeps each connection open after the answers until the client closes it, as a follow does. */
    ScriptedDaemon(Paths paths, Function<Request, List<Response>> script, boolean holdOpen) throws IOException {
        this.paths = paths;
        this.script = script;
        this.holdOpen = holdOpen;
        Files.createDirectories(paths.home());
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(paths.socket()));
        acceptor = Thread.ofVirtual().name("scripted-daemon").start(this::serve);
    }

    static Response.Pong pong(Paths paths) {
        return new Response.Pong("9.9.9", Wire.PROTOCOL_VERSION, 4242, 3_723_000, paths.home().toString());
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel ch = server.accept()) {
                current = ch;
                Request request = Wire.decodeRequest(Wire.readFrame(ch)).request();
                requests.add(request);
                for (Response response : script.apply(request)) Wire.send(ch, response);
                if (holdOpen) {
                    while (ch.read(ByteBuffer.allocate(64)) >= 0) {
                        // clients send nothing more; wait for their close
                    }
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // the client went away mid-answer, which some tests do on purpose
            } catch (Exception e) {
                failures.add(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        SocketChannel ch = current;
        if (ch != null) ch.close();
        try {
            acceptor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(paths.socket());
        if (!failures.isEmpty()) throw new AssertionError("scripted daemon failed", failures.getFirst());
    }
}
