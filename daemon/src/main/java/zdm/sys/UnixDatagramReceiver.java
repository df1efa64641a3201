package zdm.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
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
 * A bound Unix datagram socket ({@link UnixDatagram#bind}) that learns each sender's pid from the kernel
 * (SCM_CREDENTIALS). {@link #receive} may be called from one thread while another calls {@link #close}: close shuts the socket down first (which wakes a waiting receive, returning
 * empty) and the descriptor is released only once no call uses it, so it can never hit a
 * recycled descriptor. A path-bound receiver removes its socket file on close.
 */
@SuppressWarnings("restricted")   // FFM downcalls are restricted by design; the daemon runs with native access
public final class UnixDatagramReceiver implements AutoCloseable {
    private static final int SCM_CREDENTIALS = 2;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_TRUNC = 0x20;
    private static final int SHUT_RDWR = 2;
    private static final short POLLIN = 1;
    // struct msghdr (LP64): name@0, namelen@8, iov@16, iovlen@24, control@32, controllen@40, flags@48
    private static final int MSGHDR_SIZE = 56;
    private static final int CONTROL_SIZE = 64;   // CMSG_SPACE(sizeof(struct ucred)) = 32, with room to spare

    private static final MethodHandle RECVMSG = Libc.withErrno("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle POLL = Libc.withErrno("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SHUTDOWN = Libc.function("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    private final int fd;
    private final String address;
    private final int maxMessage;
    private int users;          // guarded by this: calls currently using fd (close counts as one)
    private boolean closed;     // guarded by this
    private boolean released;   // guarded by this: fd has been closed

    UnixDatagramReceiver(int fd, String address, int maxMessage) {
        this.fd = fd;
        this.address = address;
        this.maxMessage = maxMessage;
    }

    /** The address this receiver is bound to, in the form {@code NOTIFY_SOCKET} takes. */
    public String address() {
        return address;
    }

    /**
     * The socket's descriptor, for an {@link Epoll} set that tells one reader which of many sockets has a datagram.
     * Valid until {@link #close}: whoever watches it must stop watching before closing.
     */
    public int descriptor() {
        return fd;
    }

    /**
     * Waits up to {@code timeout} for one datagram; empty on timeout or once closed. Duration.ZERO
     * polls without waiting.
     */
    public Optional<UnixDatagram.Datagram> receive(Duration timeout) throws IOException {
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
                throw new ErrnoException("recvmsg(" + address + ")", errno);
            }
            if (isClosed() && n == 0) return Optional.empty();   // woken by shutdown
            int flags = msg.get(JAVA_INT, 48);
            int length = (int) Math.min(n, maxMessage);
            byte[] bytes = data.asSlice(0, length).toArray(JAVA_BYTE);
            long controlLen = msg.get(JAVA_LONG, 40);
            return Optional.of(new UnixDatagram.Datagram(bytes, senderPid(control, controlLen), (flags & MSG_TRUNC) != 0));
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
            if (errno != EINTR) throw new ErrnoException("poll(" + address + ")", errno);
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
}
