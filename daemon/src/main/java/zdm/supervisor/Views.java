package zdm.supervisor;

import java.util.ArrayList;
import java.util.Comparator;
import zdm.proc.ResourceSampler;
import zdm.protocol.AppView;
import zdm.protocol.WorkerView;

/** Turns supervisor state into the protocol's views; the resource columns are filled off the loop. */
final class Views {
    private Views() {}

    /** On the loop: a snapshot without /proc reads (cpu and memory left at -1). */
    static AppView snapshot(App app) {
        long now = app.host().nowMs();
        var all = new ArrayList<>(app.workers());
        // During a reload a slot also shows its replacement (starting) or its old process (draining, stopping).
        if (app.reload() != null) app.reload().candidates().forEach(all::add);
        all.addAll(app.outgoing());
        all.sort(Comparator.comparingInt(w -> w.id));
        var ws = new ArrayList<WorkerView>();
        for (var w : all) {
            var st = w.state();
            long uptime = st.hasProcess() ? now - w.spawnedAtMs() : 0;
            // A worker that sent STOPPING=1 still serves what it has, but counts as stopping.
            var shown = st instanceof WorkerState.Online && w.announcedStop() ? WorkerView.State.STOPPING : wireState(st);
            ws.add(new WorkerView(w.id, shown, st.pid(), w.restarts(), uptime, -1, -1,
                    w.lastExit() == null ? null : w.lastExit().describe(), st.hasProcess() ? w.notifiedStatus() : null));
        }
        Integer port = port(app);
        return new AppView(app.name(), status(app), app.desiredRunning() ? AppView.Desired.RUNNING : AppView.Desired.STOPPED,
                app.spec().instances(), port, port == null ? null : app.spec().network().listen().key(), ws);
    }

    /** The app's port: its port:, else the one a port-learning Node app's workers listen on, once it is bound. */
    static Integer port(App app) {
        if (app.spec().network().port() != null) return app.spec().network().port();
        return app.spec().network().learnsPort() && app.publicPort() != null ? app.publicPort().port() : null;
    }

    /** Off the loop: adds CPU and memory from /proc. */
    static AppView withResources(AppView v, ResourceSampler sampler) {
        var ws = new ArrayList<WorkerView>();
        for (var w : v.workers()) {
            if (w.pid() == 0) {
                ws.add(w);
                continue;
            }
            var s = sampler.sample(w.pid());
            ws.add(new WorkerView(w.id(), w.state(), w.pid(), w.restarts(), w.uptimeMs(), s.cpuPercent(), s.rssBytes(), w.lastExit(),
                    w.status()));
        }
        return new AppView(v.name(), v.status(), v.desired(), v.instances(), v.port(), v.listen(), ws);
    }

    /**
     * The protocol's name for a supervisor state. The protocol names no supervisor class, so the mapping
     * lives here; the switch is exhaustive, so a new {@link WorkerState} cannot compile without one.
     */
    static WorkerView.State wireState(WorkerState state) {
        return switch (state) {
            case WorkerState.Starting s -> WorkerView.State.STARTING;
            case WorkerState.Online o -> WorkerView.State.ONLINE;
            case WorkerState.Draining d -> WorkerView.State.DRAINING;
            case WorkerState.Stopping s -> WorkerView.State.STOPPING;
            case WorkerState.WaitingRestart w -> WorkerView.State.WAITING_RESTART;
            case WorkerState.Errored e -> WorkerView.State.ERRORED;
            case WorkerState.Stopped s -> WorkerView.State.STOPPED;
        };
    }

    /**
     * One pass over the slots for what a running app's status needs (an {@code ls} of 1,000 workers asks it of 500
     * apps, in code the JIT may not have compiled yet: three streams per app before).
     */
    static AppView.Status status(App app) {
        boolean errored = false, starting = false;
        long online = 0;   // a finished job's slot counts as satisfied, like an online one
        for (Worker w : app.workers()) {
            var st = w.state();
            errored |= st instanceof WorkerState.Errored;
            starting |= st instanceof WorkerState.Starting;
            if (st instanceof WorkerState.Online || w.completed()) online++;
        }
        if (errored) return AppView.Status.ERRORED;
        if (app.reload() != null) return AppView.Status.RELOADING; // also while one worker is replaced (memory limit)
        if (!app.desiredRunning()) return AppConditions.allStopped(app) ? AppView.Status.STOPPED : AppView.Status.STOPPING;
        if (AppConditions.finishedJob(app)) return AppView.Status.STOPPED; // a one-shot job that did its work
        if (online >= app.spec().instances()) return AppView.Status.RUNNING;
        return starting && online == 0 ? AppView.Status.STARTING : AppView.Status.DEGRADED;
    }
}
