package zdm.proc;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Stops a worker together with everything it started. Thread-safe (stateless); blocking, so call it
 * from a virtual thread.
 *
 * <p>What is "the tree": the root, its descendants (snapshot taken before signalling, because they
 * re-parent once the root dies), every member of the root's process group and session (which also
 * catches daemonized children that re-parented before we looked), and the orphans the worker left to
 * the daemon: a descendant that did its own setsid and lost its parent is re-parented to the daemon
 * (a child subreaper) and is recognised by the worker's {@link SpawnMarks} variable in its
 * environment. Every process is signalled through its {@link ProcessIdentity}, so a recycled pid is
 * never hit, and receives the stop signal once (see {@link #deliver}).
 */
public final class ProcessTree {
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private ProcessTree() {}

    public record StopOutcome(boolean escalatedToKill, Duration took) {}

    /** One tree to end: its root, the signal it stops on, and how long before SIGKILL. */
    public record Stop(ProcessIdentity root, Signal signal, Duration timeout) {}

    /** {@link #terminate}s every tree at once (a virtual thread each) and returns once all have ended. */
    public static void terminateAll(List<Stop> stops) {
        var threads = new java.util.ArrayList<Thread>();
        for (var s : stops) threads.add(Thread.ofVirtual().start(() -> terminate(s.root(), s.signal(), s.timeout())));
        for (var t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Whose processes these are: the root, whether its group is still its own, and its spawn mark (or null). */
    private record Scope(ProcessIdentity root, boolean groupIsOurs, String mark) {}

    /**
     * Sends {@code stop} (followed by SIGCONT, so a stopped process can act on it, as systemd does) once
     * to every process of the tree, waits up to {@code timeout} for all of them to be gone (signalling
     * processes that join the tree meanwhile from outside the group, e.g. an orphan re-parented to the
     * daemon, once too), then SIGKILLs the group and every survivor, and waits (bounded, 5 s) until they
     * are gone. Safe if the root is already dead: leftover descendants, group members and orphans are
     * still ended.
     */
    public static StopOutcome terminate(ProcessIdentity root, Signal stop, Duration timeout) {
        long started = System.nanoTime();
        var scope = new Scope(root, groupIsOurs(root), SpawnMarks.of(root).orElse(null));
        Set<ProcessIdentity> tree = snapshot(scope, Set.of());
        deliver(scope, tree, stop);

        boolean escalated = false;
        if (!waitGone(scope, tree, stop, timeout)) {
            escalated = true;
            // Survivors may have forked since the first snapshot: look again before the final blow.
            tree = snapshot(scope, tree);
            deliver(scope, tree, Signal.SIGKILL);
            waitGone(scope, tree, Signal.SIGKILL, KILL_WAIT);
        }
        if (!root.isAlive()) SpawnMarks.forget(root);
        return new StopOutcome(escalated, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Whether signalling group {@code root.pid} reaches the worker's own group: the root is (or was, as a
     * zombie) that process and leads its group, or the pid is now unused while processes still carry it
     * as their group id (Linux does not reuse a pid while a group or session of that id exists).
     */
    private static boolean groupIsOurs(ProcessIdentity root) {
        Optional<ProcessIdentity> now = ProcessIdentity.ofEvenIfZombie(root.pid());
        if (now.isPresent()) {
            return now.get().equals(root) && Posix.getpgid(root.pid()) == root.pid();
        }
        return true;
    }

    /** The live tree: root, {@code earlier} members still alive, group, session and orphans, and all their descendants. */
    private static Set<ProcessIdentity> snapshot(Scope scope, Set<ProcessIdentity> earlier) {
        List<ProcStat> all = ProcScan.fresh();
        var roots = new LinkedHashSet<Long>();
        if (scope.root.isAlive()) roots.add(scope.root.pid());
        for (ProcessIdentity p : earlier) if (p.isAlive()) roots.add(p.pid());
        for (ProcStat s : members(scope, all)) roots.add(s.pid());
        var tree = new LinkedHashSet<ProcessIdentity>();
        for (long pid : withDescendants(roots, all)) ProcessIdentity.of(pid).ifPresent(tree::add);
        return tree;
    }

    /** Live processes of the root's group or session (if it is still ours) and the orphans carrying its mark. */
    private static List<ProcStat> members(Scope scope, List<ProcStat> all) {
        long self = ProcessHandle.current().pid();
        long ownSession = ProcStat.read(self).map(ProcStat::session).orElse(-1L);
        long id = scope.root.pid();
        return all.stream().filter(s -> !s.zombie() && (
                (scope.groupIsOurs && (s.pgrp() == id || s.session() == id))
                || (scope.mark != null && s.ppid() == self && s.session() != ownSession
                        && !ChildReaper.isRegistered(s.pid()) && SpawnMarks.carries(s.pid(), scope.mark))))
                .toList();
    }

    /**
     * {@code roots} and everything below them. One pass over {@code all} per generation, allocating
     * nothing per process of the machine: a stop calls this two or three times, and a map of every
     * process's children (the first version) made it most of what a reload of 1,000 workers allocated.
     */
    private static Set<Long> withDescendants(Set<Long> roots, List<ProcStat> all) {
        var found = new LinkedHashSet<Long>(roots);
        long[] generation = roots.stream().mapToLong(Long::longValue).toArray();
        while (generation.length > 0) {
            long[] next = new long[0];
            int count = 0;
            for (ProcStat s : all) {
                if (s.zombie() || !contains(generation, s.ppid()) || !found.add(s.pid())) continue;
                if (count == next.length) next = Arrays.copyOf(next, Math.max(4, 2 * count));
                next[count++] = s.pid();
            }
            generation = Arrays.copyOf(next, count);
        }
        return found;
    }

    private static boolean contains(long[] pids, long pid) {
        for (long p : pids) if (p == pid) return true;
        return false;
    }

    /**
     * Each process of {@code tree} gets {@code s} exactly once: the worker's group in one kill(-pgid)
     * (which also reaches members forked after the snapshot), then, one by one, only the members of the
     * tree that are not in that group (setsid'd descendants, other groups of the session, orphans). Many
     * servers (uvicorn, most CLIs) treat a second SIGINT or SIGTERM as "force quit" and skip their drain.
     * A stop signal is followed by SIGCONT, delivered the same way.
     */
    private static void deliver(Scope scope, Set<ProcessIdentity> tree, Signal s) {
        signalOnce(scope, tree, s);
        if (s != Signal.SIGKILL && s != Signal.SIGCONT) signalOnce(scope, tree, Signal.SIGCONT);
    }

    private static void signalOnce(Scope scope, Set<ProcessIdentity> tree, Signal s) {
        boolean groupSignalled = false;
        if (scope.groupIsOurs) {
            try {
                groupSignalled = Posix.killGroup(scope.root.pid(), s);
            } catch (IllegalArgumentException | IllegalStateException e) {
                // e.g. EPERM on a member that changed uid: the per-process signals below still run
            }
        }
        for (ProcessIdentity p : tree) {
            if (groupSignalled && Posix.getpgid(p.pid()) == scope.root.pid()) continue;   // the group signal reached it
            signalQuietly(p, s);
        }
    }

    private static void signalQuietly(ProcessIdentity p, Signal s) {
        try {
            Posix.signal(p, s);
        } catch (IllegalStateException e) {
            // not ours to signal (EPERM): nothing more we can do for this one
        }
    }

    /**
     * Polls (backing off from 5 to 100 ms) until every process of the tree is gone or the timeout passes.
     * A process that joins the tree from outside the group meanwhile (an orphan re-parented to the
     * daemon, a new session of a descendant) never got {@code s}: it gets it once, and is waited for.
     * While a known member is still alive only those members are checked (one stat read each) and
     * /proc is searched for newcomers at most every {@link #SEARCH_EVERY_NANOS}; once the known ones
     * are gone, a search decides. A pass over /proc costs ~10-20 µs per process on the machine.
     */
    private static boolean waitGone(Scope scope, Set<ProcessIdentity> tree, Signal s, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 5;
        long lastSearch = System.nanoTime();   // the caller's snapshot has just searched
        while (true) {
            boolean knownGone = knownGone(tree);
            if (knownGone || System.nanoTime() - lastSearch >= SEARCH_EVERY_NANOS) {
                lastSearch = System.nanoTime();
                if (newcomersSignalled(scope, tree, s) && knownGone) return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            try {
                Thread.sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return knownGone(tree) && newcomersSignalled(scope, tree, s);
            }
            pause = Math.min(pause * 2, 100);
        }
    }

    private static final long SEARCH_EVERY_NANOS = 100_000_000L;

    private static boolean knownGone(Set<ProcessIdentity> tree) {
        for (ProcessIdentity p : tree) if (p.isAlive()) return false;
        return true;
    }

    /**
     * Searches /proc for live members of the group, session or mark: those outside the root's group
     * (and their descendants) join the tree and get {@code s} once. True if there were none at all.
     */
    private static boolean newcomersSignalled(Scope scope, Set<ProcessIdentity> tree, Signal s) {
        boolean none = true;
        List<ProcStat> all = ProcScan.fresh();
        var late = new LinkedHashSet<Long>();
        for (ProcStat m : members(scope, all)) {
            none = false;
            if (!(scope.groupIsOurs && m.pgrp() == scope.root.pid())) late.add(m.pid());
        }
        for (long pid : withDescendants(late, all)) {
            ProcessIdentity.of(pid).filter(tree::add).ifPresent(p -> {
                signalQuietly(p, s);
                if (s != Signal.SIGKILL && s != Signal.SIGCONT) signalQuietly(p, Signal.SIGCONT);
            });
        }
        return none;
    }
}
