package zdm.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static zdm.sys.Libc.CALL_STATE;
import static zdm.sys.Libc.errno;
import static zdm.sys.Libc.rethrow;

/**
 * Process descriptors (Linux 5.3+; glibc 2.36+ wraps the calls): a pidfd pins one process, so a
 * signal sent or a descriptor copied through it reaches exactly that process, never one that
 * recycled its pid; it becomes readable (epoll) when the process exits. Each call returns what the
 * kernel does, a descriptor or 0 on success and {@code -errno} on failure; where the C library lacks
 * a function the call returns {@code -ENOSYS}, as an old kernel would. Stateless, thread-safe.
 */
@SuppressWarnings("restricted")   // FFM downcalls are restricted by design; the daemon runs with native access
public final class Pidfd {
    private static final MethodHandle OPEN = Libc.optionalWithErrno("pidfd_open",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SEND_SIGNAL = Libc.optionalWithErrno("pidfd_send_signal",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETFD = Libc.optionalWithErrno("pidfd_getfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));

    private Pidfd() {}

    /** Whether the C library has pidfd_open (the kernel may still refuse it: ENOSYS, seccomp's EPERM). */
    public static boolean canOpen() {
        return OPEN != null;
    }

    /** Whether the C library has pidfd_open and pidfd_send_signal. */
    public static boolean canSignal() {
        return OPEN != null && SEND_SIGNAL != null;
    }

    /** Whether the C library has pidfd_open and pidfd_getfd. */
    public static boolean canCopyDescriptors() {
        return OPEN != null && GETFD != null;
    }

    /** pidfd_open(pid, 0): a close-on-exec descriptor of the process, or -errno. */
    public static int open(int pid) {
        if (OPEN == null) return -Errno.ENOSYS;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, pid, 0);
            return fd >= 0 ? fd : -errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** pidfd_send_signal(pidfd, signal, NULL, 0): 0, or -errno. */
    public static int sendSignal(int pidfd, int signal) {
        if (SEND_SIGNAL == null) return -Errno.ENOSYS;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) SEND_SIGNAL.invokeExact(state, pidfd, signal, MemorySegment.NULL, 0);
            return r == 0 ? 0 : -errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * pidfd_getfd(pidfd, targetFd, 0): a close-on-exec copy in this process of the process's descriptor
     * {@code targetFd}, or -errno (the kernel allows it for a process we could ptrace).
     */
    public static int copyDescriptor(int pidfd, int targetFd) {
        if (GETFD == null) return -Errno.ENOSYS;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) GETFD.invokeExact(state, pidfd, targetFd, 0);
            return fd >= 0 ? fd : -errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
