package zdm.sys;

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
 * Process-wide calls the JDK lacks: kill(2), getpgid(2), getuid(2), umask(2), sysconf(3). Calls that
 * can fail return the kernel's way, 0 (or the value) on success and {@code -errno} on failure, so the
 * caller decides which errno is an answer (ESRCH: gone) and which a failure. Stateless, thread-safe.
 */
@SuppressWarnings("restricted")   // FFM downcalls are restricted by design; the daemon runs with native access
public final class Processes {
    private static final int SC_CLK_TCK = 2;
    private static final int SC_PAGESIZE = 30;

    private static final MethodHandle KILL = Libc.withErrno("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle GETPGID = Libc.withErrno("getpgid", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle GETUID = Libc.function("getuid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle UMASK = Libc.function("umask", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SYSCONF = Libc.function("sysconf", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    private static final MethodHandle SIGNAL = Libc.function("signal", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
    private static final long SIG_IGN = 1;

    private Processes() {}

    /** kill(2) of {@code target} (a pid, or -pgid for a group) as is: 0, or -errno. No checks: callers guard the target. */
    public static int kill(int target, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) KILL.invokeExact(state, target, signal);
            return r == 0 ? 0 : -errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** getpgid(2): the process group of {@code pid}, or -errno. */
    public static int getpgid(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) GETPGID.invokeExact(state, pid);
            return r >= 0 ? r : -errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getuid() {
        try {
            return (int) GETUID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Stops ignoring {@code signal} if this process inherited it ignored (nohup ignores SIGHUP; a shell's
     * background job, SIGINT and SIGQUIT): the JVM will not handle a signal that is ignored, so a handler
     * registered later would silently never run. Any other disposition is left as it was. True if it was ignored.
     */
    public static boolean stopIgnoring(int signal) {
        try {
            var previous = (MemorySegment) SIGNAL.invokeExact(signal, MemorySegment.NULL); // SIG_DFL
            if (previous.address() == SIG_IGN) return true;
            var restored = (MemorySegment) SIGNAL.invokeExact(signal, previous);          // the JVM's own, back
            return false;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** umask(2): sets the file mode creation mask, returns the previous one. */
    public static int umask(int mask) {
        try {
            return (int) UMASK.invokeExact(mask & 0777);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Clock ticks per second (for /proc times); 100 if unknown. */
    public static long clockTicksPerSecond() {
        long v = sysconf(SC_CLK_TCK);
        return v > 0 ? v : 100;
    }

    /** Memory page size in bytes (for /proc/statm); 4096 if unknown. */
    public static long pageSize() {
        long v = sysconf(SC_PAGESIZE);
        return v > 0 ? v : 4096;
    }

    private static long sysconf(int name) {
        try {
            return (long) SYSCONF.invokeExact(name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
