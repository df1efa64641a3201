package zdm.metrics;

import java.util.List;
import zdm.protocol.WorkerView;

/**
 * One app at the moment of a scrape: its serving workers (a reload's replacements and draining old
 * processes are not listed, so a worker id is one series) and its counters.
 *
 * @param desired workers the app should have (0 when it is stopped)
 * @param ready   workers online, in the rotation
 */
public record AppSample(String name, int desired, int ready, List<WorkerSample> workers, AppCounters counters) {
    public AppSample {
        workers = List.copyOf(workers);
    }

    /**
     * @param cpuSeconds CPU time of the current process tree, -1 when no process runs or it is unknown
     * @param rssBytes   resident memory of the current process tree, -1 when unknown
     */
    public record WorkerSample(int id, WorkerView.State state, long pid, long restarts, double cpuSeconds, long rssBytes) {}
}
