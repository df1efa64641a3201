package zdm.supervisor;

import java.time.Duration;
import zdm.view.Human;

/**
 * {@code max_memory_restart}: every {@link #INTERVAL} the resident size of each online worker's
 * process tree is read (off the loop, through the {@link Host}); a worker over the limit is
 * replaced without downtime, as a reload of its one slot (its replacement first, ready and stable;
 * then it drains). One chain of checks per app, running while the app should run and has a limit.
 * Loop only.
 */
final class MemoryWatch {
    static final Duration INTERVAL = Duration.ofSeconds(2);

    private final App app;
    private boolean armed;

    MemoryWatch(App app) {
        this.app = app;
    }

    /** Starts the chain of checks if the app has a limit and none is running. */
    void arm() {
        if (armed || app.spec().restart().maxMemoryBytes() <= 0) return;
        armed = true;
        app.schedule(INTERVAL, this::check);
    }

    private void check() {
        long limit = app.spec().restart().maxMemoryBytes();
        if (!app.desiredRunning() || limit <= 0) {
            armed = false;
            return;
        }
        for (var w : app.workers()) {
            if (!(w.state() instanceof WorkerState.Online) || w.role() != Worker.Role.SERVING) continue;
            int gen = w.generation();
            long pid = w.state().pid();
            app.host().treeRssBytes(pid).thenAccept(rss -> app.post(() -> verdict(w, gen, pid, rss)));
        }
        app.schedule(INTERVAL, this::check);
    }

    private void verdict(Worker w, int gen, long pid, long rss) {
        long limit = app.spec().restart().maxMemoryBytes();
        if (limit <= 0 || rss <= limit || w.generation() != gen || !(w.state() instanceof WorkerState.Online)
                || w.role() != Worker.Role.SERVING || app.serving(w.id) != w || app.reload() != null || !app.desiredRunning()) {
            return; // within the limit, or already on its way out, or a reload is replacing workers anyway
        }
        app.ctx().event(app.name(), w.id, "memory-limit", "pid " + pid + " uses " + Human.bytes(rss)
                + " (its process tree) over max_memory_restart " + Human.bytes(limit) + "; replacing it");
        app.replaceWorker(w.id, outcome -> { /* the rollout's own events say how it went */ });
    }
}
