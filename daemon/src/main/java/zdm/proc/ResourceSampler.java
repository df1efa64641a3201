package zdm.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU % and resident memory of a worker's process tree (the pid and its live descendants), read from
 * /proc on demand: nothing polls in the background. CPU % is relative to one core (a tree keeping two
 * cores busy reads 200), like top. Thread-safe: per-pid history lives in a concurrent map.
 */
public final class ResourceSampler {
    private static final long TICKS_PER_SECOND = Posix.clockTicksPerSecond();
    private static final long PAGE_SIZE = Posix.pageSize();

    /** The previous reading for a pid; startTicks tells a recycled pid apart. */
    private record Previous(long startTicks, long cpuTicks, long nanoTime) {}

    private final Map<Long, Previous> previous = new ConcurrentHashMap<>();

    /** @param cpuPercent -1 when unknown; @param rssBytes -1 when unknown */
    public record Sample(double cpuPercent, long rssBytes) {}

    /**
     * CPU % over the interval since this pid's previous sample (the lifetime average on the first) and
     * the summed resident size of the tree. Both -1 if the process is gone.
     */
    public Sample sample(long pid) {
        long now = System.nanoTime();
        Optional<ProcStat> rootStat = ProcStat.read(pid);
        if (rootStat.isEmpty() || rootStat.get().zombie()) {
            previous.remove(pid);
            return new Sample(-1, -1);
        }
        List<ProcStat> tree = tree(rootStat.get(), now);

        // Live tree members plus what they reaped; a descendant reaped by init takes its time with it,
        // so the total can shrink: clamp the delta at 0.
        long cpuTicks = tree.stream().mapToLong(ProcStat::cpuTicksWithReapedChildren).sum();
        long startTicks = rootStat.get().startTicks();
        Previous prev = previous.put(pid, new Previous(startTicks, cpuTicks, now));
        double cpu;
        if (prev != null && prev.startTicks() == startTicks && now > prev.nanoTime()) {
            double cpuSeconds = Math.max(0, cpuTicks - prev.cpuTicks()) / (double) TICKS_PER_SECOND;
            cpu = 100.0 * cpuSeconds / ((now - prev.nanoTime()) / 1e9);
        } else {
            cpu = lifetimePercent(cpuTicks, startTicks);
        }
        return new Sample(cpu, rss(tree));
    }

    /** CPU seconds used so far by a worker's process tree, and its resident bytes; -1 each when unknown. */
    public record Usage(double cpuSeconds, long rssBytes) {}

    /** As {@link #sample(long)} but cumulative, and without changing the interval the next sample uses. */
    public Usage usage(long pid) {
        Optional<ProcStat> rootStat = ProcStat.read(pid);
        if (rootStat.isEmpty() || rootStat.get().zombie()) return new Usage(-1, -1);
        List<ProcStat> tree = tree(rootStat.get(), System.nanoTime());
        long cpuTicks = tree.stream().mapToLong(ProcStat::cpuTicksWithReapedChildren).sum();
        return new Usage(cpuTicks / (double) TICKS_PER_SECOND, rss(tree));
    }

    /** The root and its live descendants (from the shared process table). */
    private List<ProcStat> tree(ProcStat root, long now) {
        List<ProcStat> tree = new ArrayList<>();
        tree.add(root);
        addDescendants(root.pid(), processTable(now), tree);
        return tree;
    }

    private static long rss(List<ProcStat> tree) {
        long pages = 0;
        boolean known = false;
        for (ProcStat s : tree) {
            long p = ProcStat.residentPages(s.pid());
            if (p >= 0) {
                pages += p;
                known = true;
            }
        }
        return known ? pages * PAGE_SIZE : -1;
    }

    /**
     * Who is whose child, from one pass over /proc, reused for {@link #TABLE_MAX_AGE_NANOS}: {@code zdm ls}
     * samples every worker back to back, and a pass per worker (what ProcessHandle.descendants() does)
     * made it cost workers x processes reads, 66,000 for 200 workers. A child forked since the pass
     * is missed until the next one; the figures are a display, so that is fine.
     */
    private record ProcessTable(long nanoTime, Map<Long, List<Long>> children) {
        static ProcessTable read(long now) {
            var children = new HashMap<Long, List<Long>>();
            try {
                for (ProcStat s : ProcScan.fresh()) children.computeIfAbsent(s.ppid(), k -> new ArrayList<>()).add(s.pid());
            } catch (IllegalStateException e) {
                // /proc unreadable: the workers' own figures, without descendants
            }
            return new ProcessTable(now, children);
        }
    }

    private static final long TABLE_MAX_AGE_NANOS = 250_000_000L;
    private volatile ProcessTable table;

    private ProcessTable processTable(long now) {
        ProcessTable t = table;
        if (t == null || now - t.nanoTime() > TABLE_MAX_AGE_NANOS) {
            t = ProcessTable.read(now);
            table = t; // two threads racing both read /proc; either result is right
            // The history of a process that is gone is never needed again: a replaced or restarted worker's
            // pid is not forgotten by anyone else (its worker slot lives on), and every reload left its
            // workers' entries behind.
            if (!t.children().isEmpty()) {
                var live = new java.util.HashSet<Long>();
                t.children().values().forEach(live::addAll);
                previous.keySet().removeIf(p -> !live.contains(p));
            }
        }
        return t;
    }

    /** Adds the live descendants of {@code pid}, read fresh; one whose parent changed since the table is skipped. */
    private static void addDescendants(long pid, ProcessTable table, List<ProcStat> tree) {
        var pending = new ArrayDeque<Long>();
        pending.add(pid);
        while (!pending.isEmpty()) {
            long parent = pending.poll();
            for (long child : table.children().getOrDefault(parent, List.of())) {
                var stat = ProcStat.read(child).filter(s -> s.ppid() == parent && !s.zombie());
                if (stat.isEmpty()) continue;
                tree.add(stat.get());
                pending.add(child);
            }
        }
    }

    /** For tests (also the supervisor's): how many pids have a previous reading kept. */
    public int remembered() {
        return previous.size();
    }

    /** Drops the history of a pid (call when the worker is gone). */
    public void forget(long pid) {
        previous.remove(pid);
    }

    private static double lifetimePercent(long cpuTicks, long startTicks) {
        try {
            // /proc/uptime: seconds since boot, the same clock as the stat start time
            double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).trim().split("\\s+")[0]);
            double age = uptime - startTicks / (double) TICKS_PER_SECOND;
            if (age <= 0) return -1;
            return 100.0 * (cpuTicks / (double) TICKS_PER_SECOND) / age;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
