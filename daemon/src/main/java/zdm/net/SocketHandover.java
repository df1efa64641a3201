package zdm.net;

import java.io.IOException;
import zdm.proc.Posix;
import zdm.proc.ProcessIdentity;
import zdm.sys.Libc;
import zdm.sys.Sockets;

/**
 * Takes a {@code listen: socket} app's listening socket back from a worker that a previous daemon
 * left running: its fd 3, copied into this process ({@link Posix#copyDescriptor}) and checked to be a
 * listening socket on the app's port. With it, a restarted daemon starts fresh workers on the very
 * socket the old ones accept on and stops the old ones only once the fresh ones are ready: the port
 * never stops accepting. Without it (an older kernel or C library, a ptrace restriction, the worker
 * gone) the daemon binds the port anew, after the old workers have released it.
 */
public final class SocketHandover {
    private static final int INHERITED_FD = 3;

    private SocketHandover() {}

    /**
     * A copy of {@code worker}'s fd 3, if it is a listening socket on {@code port}.
     *
     * @throws IOException with the reason (one line) when it cannot be taken over
     */
    public static SharedSocket takeOver(String app, int port, ProcessIdentity worker) throws IOException {
        return takeOver(app, new ListenAddress(port, null), worker);
    }

    /** As {@link #takeOver(String, int, ProcessIdentity)}, for a socket bound to {@code where} (a learned port). */
    public static SharedSocket takeOver(String app, ListenAddress where, ProcessIdentity worker) throws IOException {
        int port = where.port();
        int fd = Posix.copyDescriptor(worker, INHERITED_FD);
        try {
            if (!Sockets.isListening(fd)) throw new IOException("fd 3 of pid " + worker.pid() + " is not a listening socket");
            int bound = Sockets.localPort(fd);
            if (bound < 0) throw new IOException("getsockname: " + Libc.strerror(-bound));
            if (bound != port) throw new IOException("fd 3 of pid " + worker.pid() + " listens on port " + bound + ", not " + port);
            return SharedSocket.ofDescriptor(app, where, fd);
        } catch (IOException | RuntimeException e) {
            Libc.closeQuietly(fd);
            throw e;
        }
    }
}
