package zdm.proc;

import zdm.sys.Errno;
import zdm.sys.Libc;
import zdm.sys.Pidfd;
import zdm.sys.Processes;

/**
 * Signals and process queries in zdm's terms ({@link Signal}, {@link ProcessIdentity}), with the rules
 * that keep them safe: never pid 0, -1 or a negative pid, never group 1 or our own group, and a
 * signal by identity reaches only that very process. The system calls themselves are {@code zdm.sys}'s.
 *
 * <p>Thread-safe: stateless.
 */
public final class Posix {
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
        return Processes.getuid();
    }

    /** umask(2): sets the file mode creation mask, returns the previous one. */
    public static int umask(int mask) {
        return Processes.umask(mask);
    }

    /** getpgid(2); -1 if the process is gone. */
    public static long getpgid(long pid) {
        if (pid < 0 || pid > Integer.MAX_VALUE) throw new IllegalArgumentException("bad pid " + pid);
        int r = Processes.getpgid((int) pid);
        if (r >= 0) return r;
        if (-r == Errno.ESRCH) return -1;
        throw failure("getpgid(" + pid + ")", -r);
    }

    /**
     * Signals {@code id} only if it is still that very process (pid and start time, not a zombie).
     * With pidfds the check and the signal cannot race with pid reuse: the pidfd pins the process
     * we then verify. Returns false if it is gone or is no longer that process.
     */
    static boolean signal(ProcessIdentity id, Signal s) {
        if (id.pid() <= 0 || id.pid() > Integer.MAX_VALUE) return false;
        if (Pidfd.canSignal()) {
            int fd = Pidfd.open((int) id.pid());
            if (fd < 0) {
                int errno = -fd;
                if (errno == Errno.ESRCH) return false;
                if (errno != Errno.ENOSYS && errno != Errno.EPERM) throw failure("pidfd_open(" + id.pid() + ")", errno);
                // seccomp or an old kernel: fall through to check-then-kill
            } else {
                try {
                    if (!id.isAlive()) return false;
                    int r = Pidfd.sendSignal(fd, s.number());
                    if (r == 0) return true;
                    if (-r == Errno.ESRCH) return false;
                    throw failure("pidfd_send_signal(" + id.pid() + ", " + s + ")", -r);
                } finally {
                    Libc.closeQuietly(fd);
                }
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
        if (!Pidfd.canCopyDescriptors()) throw new java.io.IOException("the C library has no pidfd_getfd");
        int pidfd = Pidfd.open((int) id.pid());
        if (pidfd < 0) throw new java.io.IOException("pidfd_open(" + id.pid() + "): " + Libc.strerror(-pidfd));
        try {
            if (!id.isAlive()) throw new java.io.IOException("pid " + id.pid() + " is gone");
            int fd = Pidfd.copyDescriptor(pidfd, targetFd);
            if (fd < 0) throw new java.io.IOException("pidfd_getfd(pid " + id.pid() + ", fd " + targetFd + "): " + Libc.strerror(-fd));
            return fd;
        } finally {
            Libc.closeQuietly(pidfd);
        }
    }

    /** Clock ticks per second (for /proc times); 100 if unknown. */
    static long clockTicksPerSecond() {
        return Processes.clockTicksPerSecond();
    }

    /** Memory page size in bytes (for /proc/statm); 4096 if unknown. */
    static long pageSize() {
        return Processes.pageSize();
    }

    private static boolean sendKill(int target, Signal s, String what) {
        int r = Processes.kill(target, s.number());
        if (r == 0) return true;
        if (-r == Errno.ESRCH) return false;
        throw failure(what, -r);
    }

    static IllegalStateException failure(String call, int errno) {
        return Libc.failure(call, errno);
    }
}
