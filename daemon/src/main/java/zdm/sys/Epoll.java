package zdm.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static zdm.sys.Libc.CALL_STATE;
import static zdm.sys.Libc.errno;
import static zdm.sys.Libc.rethrow;

/**
 * One epoll set that watches descriptors for readability, each reported back by its own number.
 * {@link #add} and {@link #remove} may be called from any thread; {@link #await} from one thread only (it owns the
 * event buffer). The set lives as long as the process: a descriptor leaves it when it is closed or removed.
 */
@SuppressWarnings("restricted")   // FFM downcalls are restricted by design; the daemon runs with native access
public final class Epoll {
    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLLIN = 1;
    /** struct epoll_event is packed on x86-64 (12 bytes, data at 4); 16 bytes with data at 8 elsewhere. */
    private static final boolean PACKED = "amd64".equals(System.getProperty("os.arch")) || "x86_64".equals(System.getProperty("os.arch"));
    private static final long EVENT_SIZE = PACKED ? 12 : 16;
    private static final long DATA_OFFSET = PACKED ? 4 : 8;

    private static final MethodHandle CREATE1 = Libc.withErrno("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle CTL = Libc.withErrno("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle WAIT = Libc.withErrno("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

    private final int fd;
    private final int maxEvents;
    private final MemorySegment events;   // used by the awaiting thread only
    private final MemorySegment state;

    private Epoll(int fd, int maxEvents) {
        this.fd = fd;
        this.maxEvents = maxEvents;
        Arena arena = Arena.ofAuto();
        this.events = arena.allocate(EVENT_SIZE * maxEvents, 8);
        this.state = arena.allocate(CALL_STATE);
    }

    /** A new close-on-exec epoll set reporting up to {@code maxEvents} descriptors per wait; null if the kernel refused. */
    public static Epoll create(int maxEvents) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) CREATE1.invokeExact(arena.allocate(CALL_STATE), EPOLL_CLOEXEC);
            return fd >= 0 ? new Epoll(fd, maxEvents) : null;
        } catch (Throwable t) {
            return null;
        }
    }

    /** Watches {@code watched} for readability (EPOLLIN); false if the kernel refused. */
    public boolean add(int watched) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment event = arena.allocate(EVENT_SIZE, 4);
            event.set(JAVA_INT, 0, EPOLLIN);
            event.set(JAVA_LONG_UNALIGNED, DATA_OFFSET, watched);
            return (int) CTL.invokeExact(arena.allocate(CALL_STATE), fd, EPOLL_CTL_ADD, watched, event) == 0;
        } catch (Throwable t) {
            return false;
        }
    }

    /**
     * Stops watching {@code watched}. Closing a descriptor takes it out of the set only once every copy of it is closed
     * (a child between fork and exec holds one), so a descriptor about to be closed is removed first, or its number
     * could be reported after it has been reused.
     */
    public void remove(int watched) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CTL.invokeExact(arena.allocate(CALL_STATE), fd, EPOLL_CTL_DEL, watched, arena.allocate(EVENT_SIZE, 4));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Blocks until some watched descriptors are readable and puts their numbers in {@code ready}
     * (at least {@code maxEvents} long); returns how many. Retries on EINTR; throws on any other failure.
     */
    public int await(int[] ready) {
        try {
            while (true) {
                int n = (int) WAIT.invokeExact(state, fd, events, maxEvents, -1);
                if (n < 0) {
                    int e = errno(state);
                    if (e == Errno.EINTR) continue;
                    throw new IllegalStateException("epoll_wait failed: " + Libc.strerror(e));
                }
                for (int i = 0; i < n; i++) ready[i] = (int) events.get(JAVA_LONG_UNALIGNED, i * EVENT_SIZE + DATA_OFFSET);
                return n;
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
