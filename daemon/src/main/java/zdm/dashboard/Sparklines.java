package zdm.dashboard;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import zdm.protocol.AppView;

/**
 * The last {@link #POINTS} CPU and memory readings of every worker process the page has seen, from
 * the snapshots the page polls anyway (no sampling of its own). Keyed by app, worker id and pid, so a
 * reload's replacement starts a line of its own; a process gone from the snapshot is forgotten.
 * Not thread-safe: only the feed's poller touches it, and it hands out copies.
 */
final class Sparklines {
    /** 90 readings, one per poll (2 s): the last three minutes. */
    static final int POINTS = 90;

    record Point(double cpu, long mem) {}

    private final Map<String, ArrayDeque<Point>> lines = new HashMap<>();

    static String key(String app, int worker, long pid) {
        return app + "/" + worker + "/" + pid;
    }

    /** Adds one reading per running worker of {@code apps}; returns every line, oldest reading first. */
    Map<String, List<Point>> add(List<AppView> apps) {
        var seen = new HashSet<String>();
        for (var a : apps) {
            for (var w : a.workers()) {
                if (w.pid() == 0) continue;
                String k = key(a.name(), w.id(), w.pid());
                seen.add(k);
                var line = lines.computeIfAbsent(k, x -> new ArrayDeque<>());
                line.addLast(new Point(Math.max(0, w.cpuPercent()), Math.max(0, w.memoryBytes())));
                while (line.size() > POINTS) line.removeFirst();
            }
        }
        lines.keySet().retainAll(seen);
        var out = new LinkedHashMap<String, List<Point>>();
        lines.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }
}
