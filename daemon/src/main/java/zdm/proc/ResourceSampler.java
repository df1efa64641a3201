package zdm.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU % and resident memory of a worker's process tree (the pid and its live descendants), read from
 * /proc on demand: nothing polls in the background. CPU % is relative to one core (a tree keeping two
 * cores busy reads 200), like top. Thread-safe: per-pid history lives in a concurrent map.
 *
 * <p>Every figure comes from one pass over /proc ({@link ProcessTable}), reused for {@link
 * #TABLE_MAX_AGE_NANOS}: {@code zdm ls} samples every worker back to back, and reading each worker's own
 * stat and statm files again (and /proc/uptime for a first sample) tripled the files it opened, most of
 * its CPU at 1,000 workers (the kernel formats each stat file). A process newer than the pass is read on
 * its own. The figures are a display and a memory limit's periodic check, so a reading up to that age
 * old is fine.
 */
public final class ResourceSampler {
    private static final long TICKS_PER_SECOND = Posix.clockTicksPerSecond();
    private static final long PAGE_SIZE = Posix.pageSize();

    /**
     * The previous reading for a pid; startTicks tells a recycled pid apart. {@code percent} is what that
     * reading gave, shown again to a caller that comes while the same pass is still in use.
     */
    private record Previous(long startTicks, long cpuTicks, long nanoTime, double percent) {}

    private final Map<Long, Previous> previous = new ConcurrentHashMap<>();

    /** @param cpuPercent -1 when unknown; @param rssBytes -1 when unknown */
    public record Sample(double cpuPercent, long rssBytes) {}

    /**
     * CPU % over the interval since this pid's previous sample (the lifetime average on the first) and
     * the summed resident size of the tree. Both -1 if the process is gone.
     */
    public Sample sample(long pid) {
        ProcessTable table = processTable(System.nanoTime());
        Reading r = read(pid, table);
        if (r == null) {
            previous.remove(pid);
            return new Sample(-1, -1);
        }
        // Live tree members plus what they reaped; a descendant reaped by init takes its time with it,
        // so the total can shrink: clamp the delta at 0.
        Previous prev = previous.get(pid);
        if (prev != null && prev.startTicks() == r.startTicks() && prev.nanoTime() == r.nanoTime()) {
            return new Sample(prev.percent(), r.rssBytes());   // the same reading as that sample's
        }
        double cpu;
        if (prev != null && prev.startTicks() == r.startTicks() && r.nanoTime() > prev.nanoTime()) {
            double cpuSeconds = Math.max(0, r.cpuTicks() - prev.cpuTicks()) / (double) TICKS_PER_SECOND;
            cpu = 100.0 * cpuSeconds / ((r.nanoTime() - prev.nanoTime()) / 1e9);
        } else {
            cpu = lifetimePercent(r.cpuTicks(), r.startTicks(), r.uptimeSeconds());
        }
        previous.put(pid, new Previous(r.startTicks(), r.cpuTicks(), r.nanoTime(), cpu));
        return new Sample(cpu, r.rssBytes());
    }

    /** CPU seconds used so far by a worker's process tree, and its resident bytes; -1 each when unknown. */
    public record Usage(double cpuSeconds, long rssBytes) {}

    /** As {@link #sample(long)} but cumulative, and without changing the interval the next sample uses. */
    public Usage usage(long pid) {
        Reading r = read(pid, processTable(System.nanoTime()));
        return r == null ? new Usage(-1, -1) : new Usage(r.cpuTicks() / (double) TICKS_PER_SECOND, r.rssBytes());
    }

    /**
     * A tree's figures and when they were read: its CPU ticks (its reaped children's included), the root's
     * start, its resident bytes (-1 when unknown), and the seconds since boot then (NaN when unknown).
     */
    private record Reading(long cpuTicks, long startTicks, long rssBytes, long nanoTime, double uptimeSeconds) {}

    /** The tree of {@code pid} from the table, or read now when the pid is newer than the table; null if gone. */
    private static Reading read(long pid, ProcessTable table) {
        ProcStat root = table.byPid().get(pid);
        long nanoTime = table.nanoTime();
        double uptime = table.uptimeSeconds();
        if (root == null) {
            nanoTime = System.nanoTime();
            root = ProcStat.read(pid).orElse(null);
            uptime = Double.NaN;
        }
        if (root == null || root.zombie()) return null;
        long cpuTicks = 0, pages = 0;
        var pending = new ArrayDeque<ProcStat>();
        pending.add(root);
        // bounded: a pass is not atomic, so a recycled pid could make its parent links loop
        for (int left = table.byPid().size() + 1; !pending.isEmpty() && left > 0; left--) {
            ProcStat s = pending.poll();
            cpuTicks += s.cpuTicksWithReapedChildren();
            pages += s.rssPages();
            for (ProcStat child : table.children().getOrDefault(s.pid(), List.of())) {
                if (!child.zombie()) pending.add(child);
            }
        }
        return new Reading(cpuTicks, root.startTicks(), pages * PAGE_SIZE, nanoTime, uptime);
    }

    /**
     * Every process and who is whose child, from one pass over /proc ({@link ProcScan}), with /proc/uptime
     * read once beside it: a pass per worker (what ProcessHandle.descendants() does) made {@code zdm ls}
     * cost workers x processes reads, 66,000 for 200 workers. A child forked since the pass is missed until
     * the next one.
     */
    private record ProcessTable(long nanoTime, Map<Long, ProcStat> byPid, Map<Long, List<ProcStat>> children,
                                double uptimeSeconds) {
        static ProcessTable read(long now) {
            var byPid = new HashMap<Long, ProcStat>();
            var children = new HashMap<Long, List<ProcStat>>();
            try {
                for (ProcStat s : ProcScan.fresh()) {
                    byPid.put(s.pid(), s);
                    children.computeIfAbsent(s.ppid(), k -> new ArrayList<>()).add(s);
                }
            } catch (IllegalStateException e) {
                // /proc unreadable: each worker read on its own, without descendants
            }
            return new ProcessTable(now, byPid, children, readUptime());
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
            if (!t.byPid().isEmpty()) {
                var live = t.byPid();
                previous.keySet().removeIf(p -> !live.containsKey(p));
            }
        }
        return t;
    }

    /** For tests (also the supervisor's): how many pids have a previous reading kept. */
    public int remembered() {
        return previous.size();
    }

    /** Drops the history of a pid (call when the worker is gone). */
    public void forget(long pid) {
        previous.remove(pid);
    }

    /** The lifetime average; {@code uptimeSeconds} NaN: read /proc/uptime now. Package-private for its test. */
    static double lifetimePercent(long cpuTicks, long startTicks, double uptimeSeconds) {
        double uptime = Double.isNaN(uptimeSeconds) ? readUptime() : uptimeSeconds;
        if (Double.isNaN(uptime)) return -1;
        // Both clocks count whole ticks: a process read within the tick it started in has an age of 0 (CI saw
        // it on a fast machine); count it as one tick old rather than unknown.
        double age = Math.max(uptime - startTicks / (double) TICKS_PER_SECOND, 1.0 / TICKS_PER_SECOND);
        return 100.0 * (cpuTicks / (double) TICKS_PER_SECOND) / age;
    }

    /** /proc/uptime: seconds since boot, the same clock as the stat start time; NaN when unreadable. */
    private static double readUptime() {
        try {
            String text = Files.readString(Path.of("/proc/uptime"));
            int space = text.indexOf(' ');
            return Double.parseDouble(space < 0 ? text.trim() : text.substring(0, space));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
