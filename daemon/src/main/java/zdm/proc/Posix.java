package zdm.proc;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

import static zdm.proc.Libc.CALL_STATE;
import static zdm.proc.Libc.errno;
import static zdm.proc.Libc.strerror;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few system calls the JDK lacks, through the FFM API (java.lang.foreign, final in Java 25).
 * No native code of ours: every function is looked up in the C library the JVM already loaded.
 *
 * <p>Thread-safe: stateless; errno is captured per call (never read from a thread-local that a
 * later call could overwrite). The JVM needs {@code --enable-native-access=ALL-UNNAMED}.
 */
@SuppressWarnings("restricted")   // FFM downcalls are restricted by design; the daemon runs with native access
public final class Posix {
    private static final int ESRCH = 3;
    private static final int EPERM = 1;
    private static final int ENOSYS = 38;
    private static final int SC_CLK_TCK = 2;
    private static final int SC_PAGESIZE = 30;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle KILL = errnoHandle("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle GETPGID = errnoHandle("getpgid", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle GETUID = plainHandle("getuid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle UMASK = plainHandle("umask", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SYSCONF = plainHandle("sysconf", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    // glibc >= 2.36 wraps these; with them a signal reaches exactly the process we checked, never a
    // process that recycled its pid in between. Absent (older libc) -> check-then-kill fallback.
    private static final MethodHandle PIDFD_OPEN = optionalErrnoHandle("pidfd_open",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle PIDFD_SEND_SIGNAL = optionalErrnoHandle("pidfd_send_signal",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle PIDFD_GETFD = optionalErrnoHandle("pidfd_getfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));

    private Posix() {}

    /** kill(2). False if the process does not exist (ESRCH); other errors throw with the errno text. */
    public static boolean kill(long pid, Signal s) {
        // pid 0 / -1 / negative would signal our own group or every process we may signal: never.
        if (pid <= 0 || pid > Integer.MAX_VALUE) throw new IllegalArgumentException("refusing to kill pid " + pid);
        return sendKill((int) pid, s, "kill(" + pid + ", " + s + ")");
    }

    /** kill(-pgid, sig): the whole process group. Refuses group 1 and the daemon's own group. */
    public static boolean killGroup(long pgid, Signal s) {
        if (pgid <= 1 || pgid > Integer.MAX_VALUE) throw new IllegalArgumentException("refusing to kill group " + pgid);
        if (pgid == getpgid(ProcessHandle.current().pid())) {
            throw new IllegalArgumentException("refusing to kill group " + pgid + ": it is our own process group");
        }
        return sendKill((int) -pgid, s, "kill(-" + pgid + ", " + s + ")");
    }

    public static int getuid() {
        try {
            return (int) GETUID.invokeExact();
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

    /** getpgid(2); -1 if the process is gone. */
    public static long getpgid(long pid) {
        if (pid < 0 || pid > Integer.MAX_VALUE) throw new IllegalArgumentException("bad pid " + pid);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) GETPGID.invokeExact(state, (int) pid);
            if (r >= 0) return r;
            int errno = errno(state);
            if (errno == ESRCH) return -1;
            throw failure("getpgid(" + pid + ")", errno);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Signals {@code id} only if it is still that very process (pid and start time, not a zombie).
     * With pidfds the check and the signal cannot race with pid reuse: the pidfd pins the process
     * we then verify. Returns false if it is gone or is no longer that process.
     */
    static boolean signal(ProcessIdentity id, Signal s) {
        if (id.pid() <= 0 || id.pid() > Integer.MAX_VALUE) return false;
        if (PIDFD_OPEN != null && PIDFD_SEND_SIGNAL != null) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(CALL_STATE);
                int fd = (int) PIDFD_OPEN.invokeExact(state, (int) id.pid(), 0);
                if (fd < 0) {
                    int errno = errno(state);
                    if (errno == ESRCH) return false;
                    if (errno != ENOSYS && errno != EPERM) throw failure("pidfd_open(" + id.pid() + ")", errno);
                    // seccomp or an old kernel: fall through to check-then-kill
                } else {
                    try {
                        if (!id.isAlive()) return false;
                        int r = (int) PIDFD_SEND_SIGNAL.invokeExact(state, fd, s.number(), MemorySegment.NULL, 0);
                        if (r == 0) return true;
                        int errno = errno(state);
                        if (errno == ESRCH) return false;
                        throw failure("pidfd_send_signal(" + id.pid() + ", " + s + ")", errno);
                    } finally {
                        Libc.closeQuietly(fd);
                    }
                }
            } catch (RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }
        return id.isAlive() && kill(id.pid(), s);
    }

    /**
     * A copy in this process of descriptor {@code targetFd} of the process {@code id}, close-on-exec
     * ({@code pidfd_getfd}: Linux 5.6+, glibc 2.36+; the kernel allows it for a process we could
     * ptrace, e.g. one of the same user without a Yama restriction). The pidfd pins the process, so
     * the copy comes from that very process, not one that recycled its pid.
     *
     * @throws java.io.IOException with the reason, one line, when it cannot be had
     */
    public static int copyDescriptor(ProcessIdentity id, int targetFd) throws java.io.IOException {
        if (PIDFD_OPEN == null || PIDFD_GETFD == null) throw new java.io.IOException("the C library has no pidfd_getfd");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int pidfd = (int) PIDFD_OPEN.invokeExact(state, (int) id.pid(), 0);
            if (pidfd < 0) throw new java.io.IOException("pidfd_open(" + id.pid() + "): " + strerror(errno(state)));
            try {
                if (!id.isAlive()) throw new java.io.IOException("pid " + id.pid() + " is gone");
                int fd = (int) PIDFD_GETFD.invokeExact(state, pidfd, targetFd, 0);
                if (fd < 0) throw new java.io.IOException("pidfd_getfd(pid " + id.pid() + ", fd " + targetFd + "): " + strerror(errno(state)));
                return fd;
            } finally {
                Libc.closeQuietly(pidfd);
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Clock ticks per second (for /proc times); 100 if unknown. */
    static long clockTicksPerSecond() {
        long v = sysconf(SC_CLK_TCK);
        return v > 0 ? v : 100;
    }

    /** Memory page size in bytes (for /proc/statm); 4096 if unknown. */
    static long pageSize() {
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

    private static boolean sendKill(int target, Signal s, String what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) KILL.invokeExact(state, target, s.number());
            if (r == 0) return true;
            int errno = errno(state);
            if (errno == ESRCH) return false;
            throw failure(what, errno);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static IllegalStateException failure(String call, int errno) {
        return new IllegalStateException(call + " failed: " + strerror(errno) + " (errno " + errno + ")");
    }

    private static MethodHandle plainHandle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name).orElseThrow(() -> missing(name)), fd);
    }

    private static MethodHandle errnoHandle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name).orElseThrow(() -> missing(name)), fd, CAPTURE_ERRNO);
    }

    private static MethodHandle optionalErrnoHandle(String name, FunctionDescriptor fd) {
        return symbol(name).map(addr -> LINKER.downcallHandle(addr, fd, CAPTURE_ERRNO)).orElse(null);
    }

    private static Optional<MemorySegment> symbol(String name) {
        return LIBC.find(name);
    }

    private static IllegalStateException missing(String name) {
        return new IllegalStateException("the C library has no function '" + name + "'");
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
