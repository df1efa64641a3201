package zdm.proc;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Stops a worker together with everything it started. Thread-safe (stateless); blocking, so call it
 * from a virtual thread.
 *
 * <p>What is "the tree": the root, its descendants (snapshot taken before signalling, because they
 * re-parent once the root dies) and every member of the root's process group and session (which
 * also catches daemonized children that re-parented before we looked). Grandchildren that did their
 * own setsid are reached through the descendant snapshot. Every process is signalled through its
 * {@link ProcessIdentity}, so a recycled pid is never hit.
 */
public final class ProcessTree {
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private ProcessTree() {}

    public record StopOutcome(boolean escalatedToKill, Duration took) {}

    /**
     * Sends {@code stop} (followed by SIGCONT, so a stopped process can act on it, as systemd does) once
     * to every process of the tree (see {@link #signalAll}), waits up to {@code timeout} for all of them to be
     * gone, then SIGKILLs the group and every survivor, and waits (bounded, 5 s) until they are gone.
     * Safe if the root is already dead: leftover descendants and group members are still killed.
     */
    public static StopOutcome terminate(ProcessIdentity root, Signal stop, Duration timeout) {
        long started = System.nanoTime();
        boolean groupIsOurs = groupIsOurs(root);
        Set<ProcessIdentity> tree = snapshot(root, groupIsOurs, Set.of());
        signalAll(root, groupIsOurs, tree, stop);
        if (stop != Signal.SIGKILL && stop != Signal.SIGCONT) signalAll(root, groupIsOurs, tree, Signal.SIGCONT);

        boolean escalated = false;
        if (!waitGone(root, groupIsOurs, tree, timeout)) {
            escalated = true;
            // Survivors may have forked since the first snapshot: look again before the final blow.
            tree = snapshot(root, groupIsOurs, tree);
            signalAll(root, groupIsOurs, tree, Signal.SIGKILL);
            waitGone(root, groupIsOurs, tree, KILL_WAIT);
        }
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

    private static Set<ProcessIdentity> snapshot(ProcessIdentity root, boolean groupIsOurs, Set<ProcessIdentity> earlier) {
        var tree = new LinkedHashSet<ProcessIdentity>();
        if (root.isAlive()) tree.add(root);
        for (ProcessIdentity p : earlier) if (p.isAlive()) tree.add(p);
        // Descendants of everything still alive (covers setsid'd grandchildren, which leave the group).
        for (ProcessIdentity p : List.copyOf(tree)) {
            ProcessHandle.of(p.pid()).ifPresent(h -> h.descendants()
                    .forEach(d -> ProcessIdentity.of(d.pid()).ifPresent(tree::add)));
        }
        if (groupIsOurs) tree.addAll(groupOrSessionMembers(root.pid()));
        return tree;
    }

    private static Set<ProcessIdentity> groupOrSessionMembers(long id) {
        return ProcStat.all().stream()
                .filter(s -> !s.zombie() && (s.pgrp() == id || s.session() == id))
                .flatMap(s -> ProcessIdentity.of(s.pid()).stream())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * Each process of the tree gets {@code s} exactly once: the worker's group in one kill(-pgid) (which
     * also reaches members forked after the snapshot), then, one by one, only the members of the tree
     * that are not in that group (setsid'd descendants, other groups of the session). Many servers
     * (uvicorn, most CLIs) treat a second SIGINT or SIGTERM as "force quit" and skip their drain.
     */
    private static void signalAll(ProcessIdentity root, boolean groupIsOurs, Set<ProcessIdentity> tree, Signal s) {
        boolean groupSignalled = false;
        if (groupIsOurs) {
            try {
                groupSignalled = Posix.killGroup(root.pid(), s);
            } catch (IllegalArgumentException | IllegalStateException e) {
                // e.g. EPERM on a member that changed uid: the per-process signals below still run
            }
        }
        for (ProcessIdentity p : tree) {
            if (groupSignalled && Posix.getpgid(p.pid()) == root.pid()) continue;   // the group signal reached it
            try {
                Posix.signal(p, s);
            } catch (IllegalStateException e) {
                // not ours to signal (EPERM): nothing more we can do for this one
            }
        }
    }

    /** Polls (backing off from 5 to 100 ms) until every process of the tree is gone or the timeout passes. */
    private static boolean waitGone(ProcessIdentity root, boolean groupIsOurs, Set<ProcessIdentity> tree, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 5;
        while (true) {
            if (allGone(root, groupIsOurs, tree)) return true;
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            try {
                Thread.sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return allGone(root, groupIsOurs, tree);
            }
            pause = Math.min(pause * 2, 100);
        }
    }

    private static boolean allGone(ProcessIdentity root, boolean groupIsOurs, Set<ProcessIdentity> tree) {
        for (ProcessIdentity p : tree) if (p.isAlive()) return false;
        return !groupIsOurs || groupOrSessionMembers(root.pid()).isEmpty();
    }
}
