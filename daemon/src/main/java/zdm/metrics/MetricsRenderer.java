package zdm.metrics;

import java.util.List;
import zdm.protocol.WorkerView;

/** The metric families zdm exposes, from one snapshot of every app. Stateless. */
public final class MetricsRenderer {
    private MetricsRenderer() {}

    public static String render(List<AppSample> apps) {
        var p = new PromText();
        p.family("zdm_worker_up", "gauge", "1 when the worker is online (ready and in the rotation), else 0.");
        forWorkers(apps, (a, w) -> p.sample("zdm_worker_up", w.state() == WorkerView.State.ONLINE ? 1 : 0, "app", a.name(),
                "worker", Integer.toString(w.id())));
        p.family("zdm_worker_state", "gauge", "1 for the worker's current state, 0 for the others.");
        forWorkers(apps, (a, w) -> {
            // Every state, so each worker has one 0/1 series per state (the Prometheus "enum" pattern).
            for (var s : WorkerView.State.values()) {
                p.sample("zdm_worker_state", s == w.state() ? 1 : 0, "app", a.name(), "worker",
                        Integer.toString(w.id()), "state", s.wireName());
            }
        });
        p.family("zdm_worker_restarts_total", "counter", "Restarts of the worker after exits nobody asked for.");
        forWorkers(apps, (a, w) -> p.sample("zdm_worker_restarts_total", w.restarts(), "app", a.name(), "worker",
                Integer.toString(w.id())));
        p.family("zdm_worker_cpu_seconds_total", "counter",
                "CPU time (user + system) of the worker's current process tree; starts again at 0 with each new process.");
        forWorkers(apps, (a, w) -> {
            if (w.cpuSeconds() >= 0) p.sample("zdm_worker_cpu_seconds_total", w.cpuSeconds(), "app", a.name(), "worker",
                    Integer.toString(w.id()));
        });
        p.family("zdm_worker_resident_memory_bytes", "gauge", "Resident memory of the worker's process tree.");
        forWorkers(apps, (a, w) -> {
            if (w.rssBytes() >= 0) p.sample("zdm_worker_resident_memory_bytes", w.rssBytes(), "app", a.name(), "worker",
                    Integer.toString(w.id()));
        });

        p.family("zdm_app_workers_desired", "gauge", "Workers the app should run (0 when it is stopped).");
        apps.forEach(a -> p.sample("zdm_app_workers_desired", a.desired(), "app", a.name()));
        p.family("zdm_app_workers_ready", "gauge", "Workers online and in the rotation.");
        apps.forEach(a -> p.sample("zdm_app_workers_ready", a.ready(), "app", a.name()));
        p.family("zdm_app_connections_total", "counter", "Connections accepted on the app's public port.");
        apps.forEach(a -> p.sample("zdm_app_connections_total", a.counters().traffic().connections(), "app", a.name()));
        p.family("zdm_app_proxy_bytes_total", "counter",
                "Bytes through the app's port: in = read from clients, out = read from workers for clients.");
        apps.forEach(a -> {
            p.sample("zdm_app_proxy_bytes_total", a.counters().traffic().bytesIn(), "app", a.name(), "direction", "in");
            p.sample("zdm_app_proxy_bytes_total", a.counters().traffic().bytesOut(), "app", a.name(), "direction", "out");
        });
        p.family("zdm_app_reloads_total", "counter", "Rolling reloads that finished, by result.");
        apps.forEach(a -> {
            p.sample("zdm_app_reloads_total", a.counters().reloadsOk(), "app", a.name(), "result", "ok");
            p.sample("zdm_app_reloads_total", a.counters().reloadsFailed(), "app", a.name(), "result", "failed");
        });
        p.family("zdm_app_reload_duration_seconds", "summary", "How long rolling reloads took, from start to the last old worker gone.");
        apps.forEach(a -> {
            p.sample("zdm_app_reload_duration_seconds_sum", a.counters().reloadSeconds(), "app", a.name());
            p.sample("zdm_app_reload_duration_seconds_count", a.counters().reloadsOk() + a.counters().reloadsFailed(),
                    "app", a.name());
        });
        p.family("zdm_app_readiness_failures_total", "counter",
                "New workers that were not ready within listen_timeout (ready: check failed) and were killed.");
        apps.forEach(a -> p.sample("zdm_app_readiness_failures_total", a.counters().readinessFailures(), "app", a.name()));
        return p.text();
    }

    private static void forWorkers(List<AppSample> apps, java.util.function.BiConsumer<AppSample, AppSample.WorkerSample> f) {
        for (var a : apps) for (var w : a.workers()) f.accept(a, w);
    }
}
