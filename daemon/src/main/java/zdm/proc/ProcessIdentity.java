package zdm.proc;

import java.util.Optional;

/**
 * A process identified by pid AND start time, so a recycled pid is never mistaken for our worker.
 * Start times are {@link ProcStat#startTimeMs()}: the value the JDK's
 * {@link ProcessHandle.Info#startInstant()} gives (ProcessIdentityTest holds them equal), from one read
 * of /proc/PID/stat instead of the JDK's several files per call. Thread-safe (immutable).
 */
public record ProcessIdentity(long pid, long startTimeMs) {

    /** The running process with this pid right now; empty if there is none or it is a zombie. */
    public static Optional<ProcessIdentity> of(long pid) {
        return stat(pid).filter(s -> !s.zombie()).map(ProcessIdentity::of);
    }

    /** The process with this pid (possibly already exited but not reaped); empty if there is none. */
    static Optional<ProcessIdentity> ofEvenIfZombie(long pid) {
        return stat(pid).map(ProcessIdentity::of);
    }

    /** pid exists, is not a zombie, and started at startTimeMs. */
    public boolean isAlive() {
        // One read of /proc/PID/stat gives state and start time together, so a pid recycled in between cannot mix them.
        return stat(pid).filter(s -> !s.zombie() && s.startTimeMs() == startTimeMs).isPresent();
    }

    private static ProcessIdentity of(ProcStat s) {
        return new ProcessIdentity(s.pid(), s.startTimeMs());
    }

    private static Optional<ProcStat> stat(long pid) {
        return pid <= 0 ? Optional.empty() : ProcStat.read(pid);
    }
}
