package zdm.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static zdm.sys.Libc.CALL_STATE;
import static zdm.sys.Libc.errno;
import static zdm.sys.Libc.rethrow;

/**
 * TCP listening sockets as bare descriptors, for what the JDK's channels cannot do: give a worker the
 * descriptor number (fd 3, systemd socket-activation style) and inspect a descriptor copied from
 * another process. Stateless, thread-safe.
 */
@SuppressWarnings("restricted")   // FFM downcalls are restricted by design; the daemon runs with native access
public final class Sockets {
    public static final int SOL_SOCKET = 1;
    /** socket(2)'s type flag; also for {@link UnixDatagram}'s sockets. */
    static final int SOCK_CLOEXEC = 02000000;
    private static final int AF_INET = 2, AF_INET6 = 10, SOCK_STREAM = 1;
    private static final int SO_REUSEADDR = 2, SO_ACCEPTCONN = 30, IPPROTO_IPV6 = 41, IPV6_V6ONLY = 26;
    private static final int IPPROTO_TCP = 6, TCP_NODELAY = 1;
    private static final int F_DUPFD_CLOEXEC = 1030;

    private static final MethodHandle SOCKET = Libc.withErrno("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = Libc.withErrno("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = Libc.withErrno("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETSOCKNAME = Libc.withErrno("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle BIND = Libc.withErrno("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = Libc.withErrno("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle FCNTL = Libc.withErrno("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));

    private Sockets() {}

    /**
     * A close-on-exec TCP socket listening on {@code port} of the wildcard address, above fd 3:
     * dual-stack ([::] with IPV6_V6ONLY off, so 127.0.0.1 and ::1 both reach it; plain 0.0.0.0 where
     * IPv6 is unavailable), SO_REUSEADDR (a restarted daemon rebinds over TIME_WAIT), TCP_NODELAY.
     *
     * @throws ErrnoException naming the call that failed ("socket", "bind", "listen", ...)
     */
    public static int listenTcp(int port, int backlog) throws ErrnoException {
        return listenTcp(null, port, backlog);
    }

    /**
     * As {@link #listenTcp(int, int)}, on one address: {@code null} is the dual-stack wildcard, an IPv4 address
     * (0.0.0.0, 127.0.0.1) binds IPv4 only, an IPv6 address binds IPv6 only (as node's listen(port, host) does).
     */
    public static int listenTcp(java.net.InetAddress address, int port, int backlog) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            boolean v6 = !(address instanceof java.net.Inet4Address);
            int fd = (int) SOCKET.invokeExact(state, v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0 && v6 && address == null) {
                v6 = false;
                fd = (int) SOCKET.invokeExact(state, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            }
            if (fd < 0) throw new ErrnoException("socket", errno(state));
            try {
                if (fd <= 3) fd = moveAbove3(fd); // fd 3 is where the copy goes in workers
                MemorySegment one = arena.allocateFrom(JAVA_INT, 1);
                MemorySegment zero = arena.allocateFrom(JAVA_INT, 0);
                if ((int) SETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_REUSEADDR, one, 4) != 0) {
                    throw new ErrnoException("setsockopt(SO_REUSEADDR)", errno(state));
                }
                MemorySegment addr;
                if (v6) {
                    MemorySegment only = address == null ? zero : one;
                    int ignored = (int) SETSOCKOPT.invokeExact(state, fd, IPPROTO_IPV6, IPV6_V6ONLY, only, 4);
                    addr = arena.allocate(28, 4); // sockaddr_in6: family, port, flowinfo, address (in6addr_any), scope
                    addr.set(JAVA_SHORT, 0, (short) AF_INET6);
                    if (address != null) MemorySegment.copy(address.getAddress(), 0, addr, JAVA_BYTE, 8, 16);
                } else {
                    addr = arena.allocate(16, 4); // sockaddr_in: family, port, address (INADDR_ANY), zero
                    addr.set(JAVA_SHORT, 0, (short) AF_INET);
                    if (address != null) MemorySegment.copy(address.getAddress(), 0, addr, JAVA_BYTE, 4, 4);
                }
                addr.set(JAVA_BYTE, 2, (byte) (port >> 8)); // network byte order
                addr.set(JAVA_BYTE, 3, (byte) port);
                if ((int) BIND.invokeExact(state, fd, addr, (int) addr.byteSize()) != 0) {
                    throw new ErrnoException("bind", errno(state));
                }
                if ((int) LISTEN.invokeExact(state, fd, backlog) != 0) throw new ErrnoException("listen", errno(state));
                noDelay(fd);
                return fd;
            } catch (ErrnoException | RuntimeException e) {
                Libc.closeQuietly(fd);
                throw e;
            }
        } catch (ErrnoException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * A close-on-exec copy of {@code fd} numbered above 3, the original closed; on failure the original
     * stays open (the caller's to close).
     */
    public static int moveAbove3(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int moved = (int) FCNTL.invokeExact(state, fd, F_DUPFD_CLOEXEC, 10);
            if (moved < 0) throw new ErrnoException("fcntl(F_DUPFD_CLOEXEC)", errno(state));
            Libc.closeQuietly(fd);
            return moved;
        } catch (ErrnoException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * TCP_NODELAY on a listening socket: on Linux every accepted socket inherits it, so a worker that never
     * sets it on sockets accepted from an inherited fd (uvicorn) does not wait ~40 ms for delayed ACKs on every
     * keep-alive response. Best effort: a failure only costs latency.
     */
    public static void noDelay(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocateFrom(JAVA_INT, 1);
            int ignored = (int) SETSOCKOPT.invokeExact(arena.allocate(CALL_STATE), fd, IPPROTO_TCP, TCP_NODELAY, one, 4);
        } catch (Throwable t) {
            // latency only
        }
    }

    /** Whether {@code fd} is a socket that listens (SO_ACCEPTCONN); false for anything else. */
    public static boolean isListening(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            MemorySegment length = arena.allocateFrom(JAVA_INT, 4);
            return (int) GETSOCKOPT.invokeExact(arena.allocate(CALL_STATE), fd, SOL_SOCKET, SO_ACCEPTCONN, value, length) == 0
                    && value.get(JAVA_INT, 0) == 1;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The port an IPv4 or IPv6 socket is bound to (getsockname), or -errno. */
    public static int localPort(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment address = arena.allocate(128, 4);
            MemorySegment addressLength = arena.allocateFrom(JAVA_INT, 128);
            if ((int) GETSOCKNAME.invokeExact(state, fd, address, addressLength) != 0) return -errno(state);
            return (Byte.toUnsignedInt(address.get(JAVA_BYTE, 2)) << 8) | Byte.toUnsignedInt(address.get(JAVA_BYTE, 3));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
