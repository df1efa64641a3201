package zdm.server;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import zdm.log.DaemonLog;
import zdm.protocol.ErrorKind;
import zdm.protocol.Paths;
import zdm.protocol.ProtocolException;
import zdm.protocol.Response;
import zdm.protocol.Wire;

/**
 * The daemon's Unix-domain control socket. One platform thread accepts; every connection gets a
 * virtual thread that reads request frames one after another and answers each through the
 * {@link RequestHandler}. A bad frame or message gets an error reply and never affects other
 * clients; a peer with another uid is refused before anything is read.
 */
public final class ControlServer implements AutoCloseable {
    /** What a refused client may still send (its request, on the way) before the connection closes. */
    private static final int REFUSED_READ_BYTES = 64 * 1024;
    private static final java.time.Duration REFUSED_READ_TIME = java.time.Duration.ofSeconds(2);

    private final ServerSocketChannel server;
    private final Path socket;
    private final PeerCheck peers;
    private final ClientGuard guard = ClientGuard.fromEnvironment();
    private Thread acceptor;

    private ControlServer(ServerSocketChannel server, Path socket, PeerCheck peers) {
        this.server = server;
        this.socket = socket;
        this.peers = peers;
    }

    /**
     * Binds {@code zdm.sock}. The caller holds the home's daemon lock, so a socket file already
     * there is stale (its daemon is gone) and is replaced. The home is 0700, so the socket is never
     * reachable by others, not even before its chmod to 0600.
     */
    public static ControlServer bind(Paths paths) throws IOException {
        Path socket = paths.socket();
        int len = socket.toString().getBytes(StandardCharsets.UTF_8).length;
        if (len > Paths.MAX_SOCKET_PATH_BYTES) {
            throw new IOException("socket path " + socket + " is " + len + " bytes, more than the Unix limit of "
                    + Paths.MAX_SOCKET_PATH_BYTES + "; set ZDM_HOME to a shorter directory");
        }
        if (Files.deleteIfExists(socket)) DaemonLog.info("replaced a stale socket " + socket);
        var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket), 64);
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        return new ControlServer(server, socket, new PeerCheck());
    }

    public void serve(RequestHandler handler) {
        acceptor = Thread.ofPlatform().name("zdm-accept").daemon().start(() -> {
            while (server.isOpen()) {
                SocketChannel ch;
                try {
                    ch = server.accept();
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    DaemonLog.warn("accept failed: " + e.getMessage());
                    continue;
                }
                Thread.ofVirtual().name("zdm-client").start(() -> converse(ch, handler));
            }
        });
    }

    private void converse(SocketChannel ch, RequestHandler handler) {
        try (ch) {
            var who = new StringBuilder();
            var uid = peers.allowedUid(ch, who);
            if (uid.isEmpty()) {
                DaemonLog.warn("refused a client running as user '" + who + "': only the daemon's own user and root may connect");
                Wire.send(ch, new Response.Failed(ErrorKind.DENIED, "permission denied: this zdm daemon belongs to another user", List.of()));
                ClientGuard.discard(ch, REFUSED_READ_BYTES, REFUSED_READ_TIME);
                return;
            }
            var out = guard.guarded(ch);
            while (true) {
                byte[] frame;
                try {
                    frame = guard.nextRequest(ch);
                } catch (ProtocolException e) {
                    // The stream's framing is lost: answer once and hang up.
                    Wire.send(out, Response.Failed.of(ErrorKind.BAD_REQUEST, e.getMessage()));
                    return;
                }
                if (frame == null) return;
                Wire.Envelope env;
                try {
                    env = Wire.decodeRequest(frame);
                } catch (ProtocolException e) {
                    Wire.send(out, Response.Failed.of(ErrorKind.BAD_REQUEST, e.getMessage()));
                    continue; // framing is intact: the client may go on
                }
                if (!handler.handle(env.request(), uid.get(), out)) return;
            }
        } catch (IOException e) {
            // The client went away mid-conversation; nothing to tell anyone.
        } catch (RuntimeException e) {
            DaemonLog.error("request failed", e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing a listening socket cannot lose data
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            DaemonLog.warn("could not remove " + socket + ": " + e.getMessage());
        }
    }
}
