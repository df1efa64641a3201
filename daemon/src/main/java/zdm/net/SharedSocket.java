package zdm.net;

import java.io.IOException;
import zdm.sys.Errno;
import zdm.sys.ErrnoException;
import zdm.sys.Libc;
import zdm.sys.Sockets;

/**
 * The listening socket of a {@code listen: socket} app: bound by the daemon once, never accepted on
 * by it, and inherited by every worker as fd 3 (one shared accept queue, systemd socket-activation
 * style). Bound as a bare descriptor ({@link Sockets#listenTcp}) rather than a {@code ServerSocketChannel}
 * because the workers need the descriptor number, which the JDK does not expose: wildcard address,
 * dual-stack, SO_REUSEADDR, close-on-exec (only a deliberate dup2 onto fd 3 passes it on).
 * Thread-safe: the descriptor is immutable until {@link #close}.
 */
public final class SharedSocket implements PublicPort {
    private static final int BACKLOG = 1024;

    private final String app;
    private final int port;
    private final int fd;
    private volatile boolean closed;

    private SharedSocket(String app, int port, int fd) {
        this.app = app;
        this.port = port;
        this.fd = fd;
    }

    /** Binds and listens; the message of a failure is one line naming the app and the port. */
    public static SharedSocket open(String app, int port) throws IOException {
        if (port <= 0 || port > 65535) throw new IllegalArgumentException("port " + port);
        try {
            return new SharedSocket(app, port, Sockets.listenTcp(port, BACKLOG));
        } catch (ErrnoException e) {
            throw failure(app, port, e.call(), e.errno());
        }
    }

    /**
     * A descriptor that already listens on {@code port} (see {@link SocketHandover}); close-on-exec.
     * On failure {@code fd} stays open, the caller's to close.
     */
    static SharedSocket ofDescriptor(String app, int port, int fd) throws IOException {
        Sockets.noDelay(fd); // a socket handed over by an older daemon may lack it
        if (fd > 3) return new SharedSocket(app, port, fd);
        try {
            return new SharedSocket(app, port, Sockets.moveAbove3(fd));
        } catch (ErrnoException e) {
            throw failure(app, port, e.call(), e.errno());
        }
    }

    /** The descriptor to dup2 onto a worker's fd 3. */
    public int fd() {
        if (closed) throw new IllegalStateException("the socket of " + app + " is closed");
        return fd;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Libc.closeQuietly(fd);
    }

    private static IOException failure(String app, int port, String call, int errno) {
        if (errno == Errno.EADDRINUSE) {
            String by = PortHolder.describe(port).orElse("another process");
            return new IOException("port " + port + " is already in use by " + by + "; choose another port: for app " + app);
        }
        return new IOException("cannot listen on port " + port + " (" + call + ": " + Libc.strerror(errno)
                + "); choose another port: for app " + app);
    }
}
