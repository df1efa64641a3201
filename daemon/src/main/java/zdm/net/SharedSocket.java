package zdm.net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static zdm.proc.Libc.CALL_STATE;
import zdm.proc.Libc;
import static zdm.proc.Libc.errno;
import static zdm.proc.Libc.strerror;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The listening socket of a {@code listen: socket} app: bound by the daemon once, never accepted on
 * by it, and inherited by every worker as fd 3 (one shared accept queue, systemd socket-activation
 * style). Bound through FFM rather than a {@code ServerSocketChannel} because the workers need the
 * descriptor number, which the JDK does not expose. Wildcard address, dual-stack ([::] with
 * IPV6_V6ONLY off, so 127.0.0.1 and ::1 both reach it; plain 0.0.0.0 where IPv6 is unavailable),
 * SO_REUSEADDR (a restarted daemon rebinds over TIME_WAIT), close-on-exec (only a deliberate dup2
 * onto fd 3 passes it on). Thread-safe: the descriptor is immutable until {@link #close}.
 */
@SuppressWarnings("restricted")
public final class SharedSocket implements PublicPort {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO_OPT = Linker.Option.captureCallState("errno");
    private static final int AF_INET = 2, AF_INET6 = 10, SOCK_STREAM = 1, SOCK_CLOEXEC = 02000000;
    private static final int SOL_SOCKET = 1, SO_REUSEADDR = 2, IPPROTO_IPV6 = 41, IPV6_V6ONLY = 26;
    private static final int IPPROTO_TCP = 6, TCP_NODELAY = 1;
    private static final int F_DUPFD_CLOEXEC = 1030, EADDRINUSE = 98, BACKLOG = 1024;

    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = handle("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle BIND = handle("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = handle("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle FCNTL = LINKER.downcallHandle(LIBC.find("fcntl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), ERRNO_OPT, Linker.Option.firstVariadicArg(2));

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
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            boolean v6 = true;
            int fd = (int) SOCKET.invokeExact(state, AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                v6 = false;
                fd = (int) SOCKET.invokeExact(state, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
                if (fd < 0) throw failure(app, port, "socket", errno(state));
            }
            try {
                if (fd <= 3) fd = moveAbove3(state, fd, app, port); // fd 3 is where the copy goes in workers
                MemorySegment one = arena.allocateFrom(JAVA_INT, 1);
                MemorySegment zero = arena.allocateFrom(JAVA_INT, 0);
                if ((int) SETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_REUSEADDR, one, 4) != 0) {
                    throw failure(app, port, "setsockopt(SO_REUSEADDR)", errno(state));
                }
                MemorySegment addr;
                if (v6) {
                    int ignored = (int) SETSOCKOPT.invokeExact(state, fd, IPPROTO_IPV6, IPV6_V6ONLY, zero, 4);
                    addr = arena.allocate(28, 4); // sockaddr_in6: family, port, flowinfo, in6addr_any, scope
                    addr.set(JAVA_SHORT, 0, (short) AF_INET6);
                } else {
                    addr = arena.allocate(16, 4); // sockaddr_in: family, port, INADDR_ANY, zero
                    addr.set(JAVA_SHORT, 0, (short) AF_INET);
                }
                addr.set(JAVA_BYTE, 2, (byte) (port >> 8)); // network byte order
                addr.set(JAVA_BYTE, 3, (byte) port);
                if ((int) BIND.invokeExact(state, fd, addr, (int) addr.byteSize()) != 0) {
                    throw failure(app, port, "bind", errno(state));
                }
                if ((int) LISTEN.invokeExact(state, fd, BACKLOG) != 0) throw failure(app, port, "listen", errno(state));
                noDelay(fd);
                return new SharedSocket(app, port, fd);
            } catch (IOException | RuntimeException e) {
                Libc.closeQuietly(fd);
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A descriptor that already listens on {@code port} (see {@link SocketHandover}); close-on-exec. */
    static SharedSocket ofDescriptor(String app, int port, int fd) throws IOException {
        noDelay(fd); // a socket handed over by an older daemon may lack it
        if (fd > 3) return new SharedSocket(app, port, fd);
        try (Arena arena = Arena.ofConfined()) {
            return new SharedSocket(app, port, moveAbove3(arena.allocate(CALL_STATE), fd, app, port));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * TCP_NODELAY on the listening socket: on Linux every accepted socket inherits it, so a worker that never
     * sets it on sockets accepted from an inherited fd (uvicorn) does not wait ~40 ms for delayed ACKs on every
     * keep-alive response. Best effort: a failure only costs latency.
     */
    private static void noDelay(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocateFrom(JAVA_INT, 1);
            int ignored = (int) SETSOCKOPT.invokeExact(arena.allocate(CALL_STATE), fd, IPPROTO_TCP, TCP_NODELAY, one, 4);
        } catch (Throwable t) {
            // latency only
        }
    }

    private static int moveAbove3(MemorySegment state, int fd, String app, int port) throws Throwable {
        int moved = (int) FCNTL.invokeExact(state, fd, F_DUPFD_CLOEXEC, 10);
        int err = errno(state);
        Libc.closeQuietly(fd);
        if (moved < 0) throw failure(app, port, "fcntl(F_DUPFD_CLOEXEC)", err);
        return moved;
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
        if (errno == EADDRINUSE) {
            String by = PortHolder.describe(port).orElse("another process");
            return new IOException("port " + port + " is already in use by " + by + "; choose another port: for app " + app);
        }
        return new IOException("cannot listen on port " + port + " (" + call + ": " + strerror(errno)
                + "); choose another port: for app " + app);
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), fd, ERRNO_OPT);
    }
}
