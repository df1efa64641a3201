package zdm.supervisor;

import zdm.net.SharedSocket;

/**
 * What an app's state amounts to, as requests wait for it and views show it: settled, stopped, errored, a finished
 * job, whether a reload may begin, whether a worker is started again at once. Reads its {@link App} on the loop.
 */
final class AppConditions {
    private AppConditions() {}

    /** True once every slot has settled: online, errored, stopped, or crashed and waiting to restart. */
    static boolean settled(App app) {
        return app.workers().stream().allMatch(w -> switch (w.state()) {
            case WorkerState.Starting s -> false;
            case WorkerState.Draining d -> false;
            case WorkerState.Stopping s -> false;
            default -> true;
        }) && !app.restartPending() && app.reload() == null
                && (!app.desiredRunning() || app.workers().size() >= app.spec().instances());
    }

    static boolean allStopped(App app) {
        return app.outgoing().isEmpty() && app.workers().stream().allMatch(w -> !w.state().hasProcess()
                && !(w.state() instanceof WorkerState.WaitingRestart));
    }

    /** A one-shot app whose every worker finished (exit 0, autorestart off): nothing to reload. */
    static boolean finishedJob(App app) {
        return !app.spec().restart().autorestart() && !app.workers().isEmpty()
                && app.workers().stream().allMatch(Worker::completed);
    }

    /** Why a reload cannot begin now, or null. Overlapping reloads are refused, never queued or merged. */
    static String reloadRefusal(App app) {
        String name = app.name();
        if (!app.desiredRunning()) return name + " is stopped; start it with 'zdm start " + name + "'";
        var reload = app.reload();
        if (reload != null) {
            return name + " is already " + (reload.isReload() ? "reloading" : "replacing a worker") + " (for "
                    + (app.host().nowMs() - reload.startedAtMs()) + " ms); wait for it to finish ('zdm ls' shows its progress)";
        }
        if (app.restartPending()) return name + " is restarting; reload it once the restart is done";
        return null;
    }

    /** Whether a worker being stopped for a relaunch ({@link Worker#markRelaunching}) is started again now. */
    static boolean relaunchWanted(App app, Worker w) {
        return w.relaunching() && app.desiredRunning() && !app.restartPending() && !w.retiring() && app.isServing(w)
                && app.publicPort() instanceof SharedSocket;
    }
}
