package zdm.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static zdm.sys.Libc.CALL_STATE;
import static zdm.sys.Libc.errno;
import static zdm.sys.Libc.rethrow;

/**
 * An eventfd(2) used as a doorbell: any thread {@link #signal}s it, and the thread waiting on an {@link Epoll} set
 * that watches it wakes up, so work handed to that thread through a queue is seen without a periodic wake-up.
 * Non-blocking: signalling never waits, and {@link #drain} returns at once when nothing was signalled.
 * Thread-safe; lives as long as the process (it is never closed).
 */
@SuppressWarnings("restricted")   // FFM downcalls are restricted by design; the daemon runs with native access
public final class EventFd {
    private static final int EFD_NONBLOCK = 0x800;
    private static final int EFD_CLOEXEC = 0x80000;

    private static final MethodHandle EVENTFD = Libc.withErrno("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    // glibc's wrappers write and read the 8-byte counter, so no buffer handling is ours
    private static final MethodHandle WRITE = Libc.function("eventfd_write", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle READ = Libc.function("eventfd_read", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    private final int fd;

    private EventFd(int fd) {
        this.fd = fd;
    }

    /** A new close-on-exec, non-blocking eventfd. */
    public static EventFd create() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) EVENTFD.invokeExact(state, 0, EFD_CLOEXEC | EFD_NONBLOCK);
            if (fd < 0) throw new ErrnoException("eventfd", errno(state));
            return new EventFd(fd);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The descriptor, to watch in an {@link Epoll} set (readable once signalled, until drained). */
    public int descriptor() {
        return fd;
    }

    /**
     * Makes the descriptor readable. Cannot fail in a way that matters: the only error of a non-blocking write of 1 is
     * EAGAIN when the counter is about to overflow, and then it is readable already.
     */
    public void signal() {
        try {
            int ignored = (int) WRITE.invokeExact(fd, 1L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Resets the counter (not readable any more until the next signal); nothing happens if none came. */
    public void drain() {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) READ.invokeExact(fd, arena.allocate(JAVA_LONG));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
