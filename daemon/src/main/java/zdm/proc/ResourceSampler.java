package zdm.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        List<ProcStat> tree = tree(rootStat.get());

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
        List<ProcStat> tree = tree(rootStat.get());
        long cpuTicks = tree.stream().mapToLong(ProcStat::cpuTicksWithReapedChildren).sum();
        return new Usage(cpuTicks / (double) TICKS_PER_SECOND, rss(tree));
    }

    private static List<ProcStat> tree(ProcStat root) {
        List<ProcStat> tree = new ArrayList<>();
        tree.add(root);
        ProcessHandle.of(root.pid()).ifPresent(h -> h.descendants()
                .forEach(d -> ProcStat.read(d.pid()).filter(s -> !s.zombie()).ifPresent(tree::add)));
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
