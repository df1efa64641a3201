package zdm.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static zdm.sys.Libc.CALL_STATE;
import static zdm.sys.Libc.errno;
import static zdm.sys.Libc.rethrow;

/**
 * Waiting for child processes: waitpid(2) by pid (blocking, or not), waitid(2) to peek for a zombie,
 * and prctl(PR_SET_CHILD_SUBREAPER). Which child is whose to reap is decided by the callers
 * ({@code zdm.proc.ChildExits}, {@code zdm.proc.ChildReaper}). Stateless, thread-safe.
 */
@SuppressWarnings("restricted")   // FFM downcalls are restricted by design; the daemon runs with native access
public final class Children {
    private static final int PR_SET_CHILD_SUBREAPER = 36;
    private static final int P_ALL = 0;
    private static final int WNOHANG = 1;
    private static final int WEXITED = 4;
    private static final int WNOWAIT = 0x01000000;
    private static final int SIGINFO_SIZE = 128;
    private static final long SIGINFO_PID_OFFSET = 16;   // si_signo, si_errno, si_code, then the union (LP64)

    private static final MethodHandle PRCTL = Libc.function("prctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle WAITID = Libc.function("waitid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle WAITPID = Libc.withErrno("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));

    private Children() {}

    /** Makes orphaned descendants re-parent to this process instead of init. False if the kernel refused. */
    public static boolean becomeSubreaper() {
        try {
            return (int) PRCTL.invokeExact(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L) == 0;
        } catch (Throwable t) {
            return false;
        }
    }

    /** waitid(P_ALL, WNOWAIT): is some child a zombie? Reaps nothing; cheap. */
    public static boolean anyZombie() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(SIGINFO_SIZE, 8);
            int r = (int) WAITID.invokeExact(P_ALL, 0, info, WEXITED | WNOHANG | WNOWAIT);
            return r == 0 && info.get(JAVA_INT, SIGINFO_PID_OFFSET) != 0;
        } catch (Throwable t) {
            return false;
        }
    }

    /** waitpid(pid, WNOHANG): the wait status if {@code pid} had exited and is now reaped, else -1. */
    public static int reapIfExited(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(JAVA_INT);
            int r = (int) WAITPID.invokeExact(arena.allocate(CALL_STATE), pid, status, WNOHANG);
            return r == pid ? status.get(JAVA_INT, 0) : -1;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Blocks until child {@code pid} exits and reaps it: its wait status word (low 7 bits the signal,
     * 0 = exited; bits 8-15 the exit code), or -ECHILD if someone else reaped it. Call from a platform
     * thread: a native call pins a virtual thread's carrier for as long as it blocks.
     */
    public static int waitFor(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(JAVA_INT);
            MemorySegment state = arena.allocate(CALL_STATE);
            while (true) {
                int r = (int) WAITPID.invokeExact(state, pid, status, 0);
                if (r == pid) return status.get(JAVA_INT, 0);
                int errno = errno(state);
                if (errno == Errno.EINTR) continue;
                if (errno == Errno.ECHILD) return -Errno.ECHILD;
                throw new IllegalStateException("waitpid(" + pid + ") failed: " + Libc.strerror(errno));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
