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
    private final ListenAddress where;
    private final int fd;
    private volatile boolean closed;

    private SharedSocket(String app, ListenAddress where, int fd) {
        this.app = app;
        this.where = where;
        this.fd = fd;
    }

    /** Binds and listens; the message of a failure is one line naming the app and the port. */
    public static SharedSocket open(String app, int port) throws IOException {
        return open(app, new ListenAddress(port, null));
    }

    /** On {@code where}'s address (a Node app's learned port); the message of a failure is one line. */
    public static SharedSocket open(String app, ListenAddress where) throws IOException {
        int port = where.port();
        try {
            return new SharedSocket(app, where, Sockets.listenTcp(where.address(), port, BACKLOG));
        } catch (ErrnoException e) {
            throw failure(app, port, e.call(), e.errno());
        }
    }

    /**
     * A descriptor that already listens on {@code port} (see {@link SocketHandover}); close-on-exec.
     * On failure {@code fd} stays open, the caller's to close.
     */
    static SharedSocket ofDescriptor(String app, ListenAddress where, int fd) throws IOException {
        int port = where.port();
        Sockets.noDelay(fd); // a socket handed over by an older daemon may lack it
        if (fd > 3) return new SharedSocket(app, where, fd);
        try {
            return new SharedSocket(app, where, Sockets.moveAbove3(fd));
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
        return where.port();
    }

    /** The port and address it is bound to. */
    public ListenAddress where() {
        return where;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Libc.closeQuietly(fd);
    }

    private static IOException failure(String app, int port, String call, int errno) {
        return new IOException(PortHolder.bindFailure(app, port, errno == Errno.EADDRINUSE,
                call + ": " + Libc.strerror(errno)));
    }
}
