package zdm.proc;

import java.time.Instant;
import java.util.Optional;

/**
 * A process identified by pid AND start time, so a recycled pid is never mistaken for our worker.
 * Start times come from {@link ProcessHandle.Info#startInstant()} (millisecond resolution) so every
 * identity in the JVM is computed the same way. Thread-safe (immutable).
 */
public record ProcessIdentity(long pid, long startTimeMs) {

    /** The running process with this pid right now; empty if there is none or it is a zombie. */
    public static Optional<ProcessIdentity> of(long pid) {
        Optional<ProcessIdentity> id = ofEvenIfZombie(pid);
        return id.filter(ProcessIdentity::isAlive);
    }

    /** The process with this pid (possibly already exited but not reaped); empty if there is none. */
    static Optional<ProcessIdentity> ofEvenIfZombie(long pid) {
        return startTimeMs(pid).map(start -> new ProcessIdentity(pid, start));
    }

    /** pid exists, is not a zombie, and started at startTimeMs. */
    public boolean isAlive() {
        if (pid <= 0) return false;
        Optional<Long> start = startTimeMs(pid);
        if (start.isEmpty() || start.get() != startTimeMs) return false;
        Optional<ProcStat> stat = ProcStat.read(pid);
        // Re-check the start time after reading the state: the pid could have been recycled in between.
        return stat.isPresent() && !stat.get().zombie() && startTimeMs(pid).equals(start);
    }

    private static Optional<Long> startTimeMs(long pid) {
        if (pid <= 0) return Optional.empty();
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).map(Instant::toEpochMilli);
    }
}
