package zdm.protocol;

import java.util.List;

/**
 * What {@code zdm ls} shows of one app.
 *
 * @param status  "running" (all desired workers online), "starting", "degraded", "stopped", "errored"
 * @param desired "running" or "stopped": what the user last asked for
 */
public record AppView(String name, String status, String desired, int instances, Integer port,
                      List<WorkerView> workers) {
    public AppView {
        workers = List.copyOf(workers);
    }

    public long onlineCount() {
        return workers.stream().filter(w -> "online".equals(w.state())).count();
    }
}
