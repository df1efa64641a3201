package zdm.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import static zdm.sys.Errno.EINTR;
import static zdm.sys.Libc.CALL_STATE;
import static zdm.sys.Libc.errno;
import static zdm.sys.Libc.rethrow;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Unix-domain datagram sockets (AF_UNIX, SOCK_DGRAM) through FFM: the JDK's UnixDomainSocketAddress
 * only works with stream channels. This is the transport of systemd's sd_notify protocol
 * ({@code NOTIFY_SOCKET}): a sender writes one datagram per message, a receiver learns the sender's
 * pid from the kernel (SO_PASSCRED / SCM_CREDENTIALS), which a sender cannot forge.
 *
 * <p>An <em>address</em> is either a file system path or, when it starts with {@code '@'}, a name
 * in Linux's abstract namespace ({@link UnixAddress}). This class sends and binds; a bound socket is a
 * {@link UnixDatagramReceiver}. Linux only (struct layouts are those of LP64 Linux).
 */
@SuppressWarnings("restricted")   // FFM downcalls are restricted by design; the daemon runs with native access
public final class UnixDatagram {
    /** Longest sun_path: 108 bytes including the terminating NUL of a path (or the leading NUL of an abstract name). */
    public static final int MAX_ADDRESS_BYTES = 107;
    private static final int DEFAULT_MAX_MESSAGE = 64 * 1024;

    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SO_PASSCRED = 16;
    private static final int MSG_NOSIGNAL = 0x4000;

    private static final MethodHandle SOCKET = Libc.withErrno("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = Libc.withErrno("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDTO = Libc.withErrno("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = Libc.withErrno("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));

    private UnixDatagram() {}

    /** One received datagram; {@code senderPid} is the kernel-reported pid of the sender, -1 if unknown. */
    public record Datagram(byte[] data, long senderPid, boolean truncated) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** Sends one datagram to a path. */
    public static void send(Path socket, byte[] payload) throws IOException {
        send(socket.toString(), payload);
    }

    /**
     * Sends one datagram to {@code address} (a path, or {@code "@name"} for an abstract socket).
     * Never blocks: if the receiver's queue is full the send fails with an IOException (EAGAIN)
     * rather than stalling the caller behind a receiver that stopped reading.
     */
    public static void send(String address, byte[] payload) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment addr = arena.allocate(UnixAddress.SIZE);
            int addrLen = UnixAddress.fill(addr, address);
            int fd = (int) SOCKET.invokeExact(state, UnixAddress.AF_UNIX, SOCK_DGRAM | Sockets.SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
            if (fd < 0) throw failure("socket(AF_UNIX, SOCK_DGRAM)", errno(state));
            try {
                MemorySegment buf = arena.allocate(Math.max(1, payload.length));
                MemorySegment.copy(payload, 0, buf, JAVA_BYTE, 0, payload.length);
                long n;
                do {
                    n = (long) SENDTO.invokeExact(state, fd, buf, (long) payload.length, MSG_NOSIGNAL, addr, addrLen);
                } while (n < 0 && errno(state) == EINTR);
                if (n < 0) throw failure("sendto(" + address + ")", errno(state));
            } finally {
                Libc.closeQuietly(fd);
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Binds a receiver to a path; a stale socket file left there by a dead receiver is replaced. */
    public static UnixDatagramReceiver bind(Path socket) throws IOException {
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            // Only ever remove a socket (an "other" file), never a regular file or directory someone put there.
            if (Files.isRegularFile(socket, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(socket, LinkOption.NOFOLLOW_LINKS)
                    || Files.isSymbolicLink(socket)) {
                throw new IOException("cannot bind " + socket + ": a file that is not a socket is in the way");
            }
            Files.delete(socket);
        }
        return bind(socket.toString(), DEFAULT_MAX_MESSAGE);
    }

    /**
     * Binds a receiver to {@code address} (a path or {@code "@name"}) with SO_PASSCRED on, so every
     * datagram carries its sender's pid. Datagrams longer than {@code maxMessage} are truncated.
     */
    public static UnixDatagramReceiver bind(String address, int maxMessage) throws IOException {
        if (maxMessage <= 0) throw new IllegalArgumentException("maxMessage must be positive: " + maxMessage);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment addr = arena.allocate(UnixAddress.SIZE);
            int addrLen = UnixAddress.fill(addr, address);
            int fd = (int) SOCKET.invokeExact(state, UnixAddress.AF_UNIX, SOCK_DGRAM | Sockets.SOCK_CLOEXEC, 0);
            if (fd < 0) throw failure("socket(AF_UNIX, SOCK_DGRAM)", errno(state));
            boolean ok = false;
            try {
                if ((int) BIND.invokeExact(state, fd, addr, addrLen) < 0) throw failure("bind(" + address + ")", errno(state));
                MemorySegment one = arena.allocateFrom(JAVA_INT, 1);
                if ((int) SETSOCKOPT.invokeExact(state, fd, Sockets.SOL_SOCKET, SO_PASSCRED, one, 4) < 0) {
                    throw failure("setsockopt(SO_PASSCRED)", errno(state));
                }
                ok = true;
                return new UnixDatagramReceiver(fd, address, maxMessage);
            } finally {
                if (!ok) {
                    Libc.closeQuietly(fd);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static IOException failure(String call, int errno) {
        return new ErrnoException(call, errno);
    }
}
