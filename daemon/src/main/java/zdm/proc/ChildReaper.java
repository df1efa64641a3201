package zdm.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import zdm.sys.Children;

/**
 * Reaps orphans that are not ours to wait for, as PID 1 of a container or as a child subreaper (prctl
 * PR_SET_CHILD_SUBREAPER, which every daemon becomes): a worker's grandchild whose parent died is
 * re-parented to us and, once it exits, stays a zombie until we wait for it.
 *
 * <p>The danger is stealing a worker's exit: its owner ({@link ChildExits} for workers; the JDK's
 * reaper thread for a ProcessBuilder child) learns that it exited by calling waitpid(<em>that
 * pid</em>), and if we reaped it first the owner would see ECHILD and could not tell a crash from a
 * clean exit (the JDK even reports exit code 0). Hence we never call waitpid(-1): every child the
 * daemon spawns is registered here (bracketed by {@link #spawnBegins}/{@link #spawnEnds}) until its
 * owner has reaped it, and a round reaps by pid only zombie children that are not registered and not
 * in our own session. A zombie holds its pid, so it cannot be confused with a process started later;
 * a round that overlaps a spawn (a child not yet registered might already be a zombie) is skipped and
 * retried. Any other code of the daemon that starts processes in a session of their own must register
 * them the same way. Thread-safe.
 */
public final class ChildReaper {
    private static final Set<Long> started = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger spawning = new AtomicInteger();
    private static final AtomicLong spawns = new AtomicLong();

    private ChildReaper() {}

    /** An orphan we reaped: its pid and its wait status as waitpid(2) reported it. */
    public record Reaped(long pid, int waitStatus) {
        public String describe() {
            int sig = waitStatus & 0x7f;
            return sig == 0 ? "exit code " + ((waitStatus >> 8) & 0xff) : "killed by signal " + sig;
        }
    }

    /** Call before spawning a child (posix_spawn, ProcessBuilder.start); always pair with {@link #spawnEnds}. */
    static void spawnBegins() {
        spawning.incrementAndGet();
    }

    /** Call after the spawn with the child's pid, or -1 if it failed; from here the child is its owner's to reap. */
    static void spawnEnds(long pid) {
        if (pid > 0) started.add(pid);
        spawns.incrementAndGet();
        spawning.decrementAndGet();
        IdleBackoff.activity();
    }

    /** The owner of {@code pid} ({@link ChildExits}, or the JDK's Process.onExit) has reaped it: no longer ours to protect. */
    static void reaped(long pid) {
        started.remove(pid);
        IdleBackoff.activity();
    }

    /** Whether {@code pid} is a child the JVM started and has not reaped yet (a worker, never an orphan). */
    static boolean isRegistered(long pid) {
        return started.contains(pid);
    }

    /** Makes orphaned descendants re-parent to this process instead of init. False if the kernel refused. */
    public static boolean becomeSubreaper() {
        return Children.becomeSubreaper();
    }

    /** The orphan reaper's wait between rounds while orphans keep coming, and while nothing happens at most. */
    static final Duration ORPHAN_CHECK = Duration.ofSeconds(1);
    static final Duration ORPHAN_CHECK_IDLE = Duration.ofSeconds(32);

    /**
     * Makes this process a child subreaper (unless it is PID 1, which is one already) and reaps orphans
     * on a virtual thread, reporting each to {@code reaped}: a round a second after a worker was started
     * or reaped (when orphans appear: a worker's descendants outlive it, or are ended with it) or an
     * orphan was found, then less often the longer nothing happens, up to {@link #ORPHAN_CHECK_IDLE}
     * ({@link IdleBackoff}: an idle daemon stays asleep). An orphan that exits on its own while the
     * daemon is idle is a zombie (a pid, no memory) for that long at most. False if the kernel refused
     * to make us a subreaper (orphans then go to init as usual; the reaping still runs).
     */
    public static boolean adoptOrphans(java.util.function.Consumer<Reaped> reaped) {
        boolean ok = ProcessHandle.current().pid() == 1 || becomeSubreaper();
        IdleBackoff.start("zdm-orphan-reaper", ORPHAN_CHECK, ORPHAN_CHECK_IDLE, () -> {
            var found = reapOrphans();
            found.forEach(reaped);
            return !found.isEmpty();
        });
        return ok;
    }

    /** One round: reaps every zombie child that the JVM did not start. Never blocks. */
    public static List<Reaped> reapOrphans() {
        if (!Children.anyZombie()) return List.of();
        long before = spawns.get();
        if (spawning.get() > 0) return List.of();
        List<Long> zombies = zombieChildren();
        Set<Long> ours = Set.copyOf(started);
        if (spawning.get() > 0 || spawns.get() != before) return List.of();   // a spawn overlapped: next round
        var reaped = new ArrayList<Reaped>();
        for (long pid : zombies) {
            if (ours.contains(pid)) continue;   // the JDK's reaper thread waits for this one
            int status = Children.reapIfExited((int) pid);
            if (status >= 0) reaped.add(new Reaped(pid, status));
        }
        return reaped;
    }

    /**
     * Pids of our children that are zombies, from /proc (ppid and state of every process), but those in
     * our own session: an orphan comes from a worker, which leads a session of its own, while a process
     * some part of the JVM started with ProcessBuilder without registering it (node for a .config.js)
     * stays in ours, and its exit is the JDK's to collect.
     */
    static List<Long> zombieChildren() {
        long self = ProcessHandle.current().pid();
        long ownSession = ProcStat.read(self).map(ProcStat::session).orElse(-1L);
        var found = new ArrayList<Long>();
        try (var dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path dir : dirs) {
                long pid = Long.parseLong(dir.getFileName().toString());
                try {
                    var stat = ProcStat.parse(pid, Files.readString(dir.resolve("stat")));
                    if (stat.ppid() == self && stat.state() == 'Z' && stat.session() != ownSession) found.add(pid);
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return found;
    }
}
