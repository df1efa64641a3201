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
import java.time.Duration;
import java.util.Optional;

import static zdm.sys.Errno.EAGAIN;
import static zdm.sys.Errno.EINTR;
import static zdm.sys.Libc.CALL_STATE;
import static zdm.sys.Libc.errno;
import static zdm.sys.Libc.rethrow;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Unix-domain datagram sockets (AF_UNIX, SOCK_DGRAM) through FFM: the JDK's UnixDomainSocketAddress
 * only works with stream channels. This is the transport of systemd's sd_notify protocol
 * ({@code NOTIFY_SOCKET}): a sender writes one datagram per message, a receiver learns the sender's
 * pid from the kernel (SO_PASSCRED / SCM_CREDENTIALS), which a sender cannot forge.
 *
 * <p>An <em>address</em> is either a file system path or, when it starts with {@code '@'}, a name
 * in Linux's abstract namespace (the {@code '@'} stands for the leading NUL byte), exactly as
 * systemd spells {@code NOTIFY_SOCKET}. Linux only (struct layouts are those of LP64 Linux).
 */
@SuppressWarnings("restricted")   // FFM downcalls are restricted by design; the daemon runs with native access
public final class UnixDatagram {
    /** Longest sun_path: 108 bytes including the terminating NUL of a path (or the leading NUL of an abstract name). */
    public static final int MAX_ADDRESS_BYTES = 107;
    private static final int DEFAULT_MAX_MESSAGE = 64 * 1024;

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SO_PASSCRED = 16;
    private static final int SCM_CREDENTIALS = 2;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_TRUNC = 0x20;
    private static final int SHUT_RDWR = 2;
    private static final short POLLIN = 1;
    private static final int SOCKADDR_UN_SIZE = 110;
    // struct msghdr (LP64): name@0, namelen@8, iov@16, iovlen@24, control@32, controllen@40, flags@48
    private static final int MSGHDR_SIZE = 56;
    private static final int CONTROL_SIZE = 64;   // CMSG_SPACE(sizeof(struct ucred)) = 32, with room to spare

    private static final MethodHandle SOCKET = Libc.withErrno("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = Libc.withErrno("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDTO = Libc.withErrno("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVMSG = Libc.withErrno("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle POLL = Libc.withErrno("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = Libc.withErrno("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SHUTDOWN = Libc.function("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

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
            MemorySegment addr = arena.allocate(SOCKADDR_UN_SIZE);
            int addrLen = fillAddress(addr, address);
            int fd = (int) SOCKET.invokeExact(state, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
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
    public static Receiver bind(Path socket) throws IOException {
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
    public static Receiver bind(String address, int maxMessage) throws IOException {
        if (maxMessage <= 0) throw new IllegalArgumentException("maxMessage must be positive: " + maxMessage);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment addr = arena.allocate(SOCKADDR_UN_SIZE);
            int addrLen = fillAddress(addr, address);
            int fd = (int) SOCKET.invokeExact(state, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (fd < 0) throw failure("socket(AF_UNIX, SOCK_DGRAM)", errno(state));
            boolean ok = false;
            try {
                if ((int) BIND.invokeExact(state, fd, addr, addrLen) < 0) throw failure("bind(" + address + ")", errno(state));
                MemorySegment one = arena.allocateFrom(JAVA_INT, 1);
                if ((int) SETSOCKOPT.invokeExact(state, fd, Sockets.SOL_SOCKET, SO_PASSCRED, one, 4) < 0) {
                    throw failure("setsockopt(SO_PASSCRED)", errno(state));
                }
                ok = true;
                return new Receiver(fd, address, maxMessage);
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

    /**
     * A bound datagram socket. {@link #receive} may be called from one thread while another calls
     * {@link #close}: close shuts the socket down first (which wakes a waiting receive, returning
     * empty) and the descriptor is released only once no call uses it, so it can never hit a
     * recycled descriptor. A path-bound receiver removes its socket file on close.
     */
    public static final class Receiver implements AutoCloseable {
        private final int fd;
        private final String address;
        private final int maxMessage;
        private int users;          // guarded by this: calls currently using fd (close counts as one)
        private boolean closed;     // guarded by this
        private boolean released;   // guarded by this: fd has been closed

        private Receiver(int fd, String address, int maxMessage) {
            this.fd = fd;
            this.address = address;
            this.maxMessage = maxMessage;
        }

        /** The address this receiver is bound to, in the form {@code NOTIFY_SOCKET} takes. */
        public String address() {
            return address;
        }

        /**
         * Waits up to {@code timeout} for one datagram; empty on timeout or once closed. Duration.ZERO
         * polls without waiting.
         */
        public Optional<Datagram> receive(Duration timeout) throws IOException {
            if (!acquire()) return Optional.empty();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(CALL_STATE);
                if (!awaitReadable(arena, state, timeout)) return Optional.empty();
                MemorySegment data = arena.allocate(maxMessage);
                MemorySegment iov = arena.allocate(16, 8);
                iov.set(ADDRESS, 0, data);
                iov.set(JAVA_LONG, 8, maxMessage);
                MemorySegment control = arena.allocate(CONTROL_SIZE, 8);
                MemorySegment msg = arena.allocate(MSGHDR_SIZE, 8);
                msg.set(ADDRESS, 16, iov);
                msg.set(JAVA_LONG, 24, 1L);
                msg.set(ADDRESS, 32, control);
                msg.set(JAVA_LONG, 40, CONTROL_SIZE);
                long n = (long) RECVMSG.invokeExact(state, fd, msg, MSG_DONTWAIT);
                if (n < 0) {
                    int errno = errno(state);
                    if (errno == EAGAIN || errno == EINTR) return Optional.empty();
                    throw failure("recvmsg(" + address + ")", errno);
                }
                if (isClosed() && n == 0) return Optional.empty();   // woken by shutdown
                int flags = msg.get(JAVA_INT, 48);
                int length = (int) Math.min(n, maxMessage);
                byte[] bytes = data.asSlice(0, length).toArray(JAVA_BYTE);
                long controlLen = msg.get(JAVA_LONG, 40);
                return Optional.of(new Datagram(bytes, senderPid(control, controlLen), (flags & MSG_TRUNC) != 0));
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw rethrow(t);
            } finally {
                release();
            }
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) return;
                closed = true;
                users++;
            }
            try {
                int ignored = (int) SHUTDOWN.invokeExact(fd, SHUT_RDWR);   // wakes a receive blocked in poll
            } catch (Throwable t) {
                throw rethrow(t);
            } finally {
                release();
                if (!address.startsWith("@")) {
                    try {
                        Files.deleteIfExists(Path.of(address));
                    } catch (IOException ignored) {
                        // best effort: a stale socket file is replaced by the next bind
                    }
                }
            }
        }

        private boolean awaitReadable(Arena arena, MemorySegment state, Duration timeout) throws Throwable {
            MemorySegment pfd = arena.allocate(8, 4);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                pfd.set(JAVA_INT, 0, fd);
                pfd.set(JAVA_SHORT, 4, POLLIN);
                pfd.set(JAVA_SHORT, 6, (short) 0);
                long leftMs = Math.max(0, (deadline - System.nanoTime() + 999_999) / 1_000_000);
                int r = (int) POLL.invokeExact(state, pfd, 1L, (int) Math.min(Integer.MAX_VALUE, leftMs));
                if (r > 0) return !isClosed();
                if (r == 0) return false;
                int errno = errno(state);
                if (errno != EINTR) throw failure("poll(" + address + ")", errno);
            }
        }

        private synchronized boolean isClosed() {
            return closed;
        }

        private synchronized boolean acquire() {
            if (closed) return false;
            users++;
            return true;
        }

        private void release() {
            boolean closeNow;
            synchronized (this) {
                users--;
                closeNow = closed && users == 0 && !released;
                if (closeNow) released = true;
            }
            if (closeNow) Libc.closeQuietly(fd);
        }
    }

    /** Walks the control messages for SCM_CREDENTIALS (struct ucred: pid, uid, gid). */
    private static long senderPid(MemorySegment control, long controlLen) {
        long offset = 0;
        while (offset + 16 <= controlLen) {
            long len = control.get(JAVA_LONG, offset);
            int level = control.get(JAVA_INT, offset + 8);
            int type = control.get(JAVA_INT, offset + 12);
            if (len < 16) break;
            if (level == Sockets.SOL_SOCKET && type == SCM_CREDENTIALS && len >= 16 + 12) {
                return control.get(JAVA_INT, offset + 16);
            }
            offset += (len + 7) & ~7L;
        }
        return -1;
    }

    /** Writes a struct sockaddr_un for {@code address}; returns the length to pass to the kernel. */
    static int fillAddress(MemorySegment addr, String address) {
        if (address == null || address.isEmpty() || address.equals("@")) {
            throw new IllegalArgumentException("empty Unix socket address");
        }
        boolean abstractName = address.charAt(0) == '@';
        byte[] name = (abstractName ? address.substring(1) : address).getBytes(StandardCharsets.UTF_8);
        if (name.length > MAX_ADDRESS_BYTES) {
            throw new IllegalArgumentException("Unix socket address is " + name.length + " bytes, the limit is "
                    + MAX_ADDRESS_BYTES + ": " + address);
        }
        if (!abstractName) {
            for (byte b : name) {
                if (b == 0) throw new IllegalArgumentException("NUL byte in Unix socket path: " + address);
            }
        }
        addr.fill((byte) 0);
        addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
        int pathOffset = 2 + (abstractName ? 1 : 0);   // abstract: sun_path[0] = NUL, then the name
        MemorySegment.copy(name, 0, addr, JAVA_BYTE, pathOffset, name.length);
        // A path is NUL-terminated; an abstract name is exactly its bytes (the length delimits it).
        return pathOffset + name.length + (abstractName ? 0 : 1);
    }

    private static IOException failure(String call, int errno) {
        return new ErrnoException(call, errno);
    }
}
