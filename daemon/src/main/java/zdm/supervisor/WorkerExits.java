package zdm.supervisor;

import java.time.Duration;
import zdm.proc.ExitStatus;
import zdm.proc.ProcessIdentity;

/**
 * What a worker's exit leads to, by its role and state: an asked-for stop completes, an old worker
 * leaves, an unasked exit is restarted after a backoff, or not (autorestart off, a stop exit code,
 * the app no longer wanted), or the slot gives up (errored) after too many unstable starts in a
 * row. A spawn that failed counts as such a start. Runs on the loop, for {@link App}.
 */
final class WorkerExits {
    private WorkerExits() {}

    static void onExit(App app, Worker w, int gen, ExitStatus status) {
        if (w.generation() != gen) return; // news about a process this slot no longer runs
        long uptime = app.host().nowMs() - w.spawnedAtMs();
        var leftover = w.identity();
        w.exited(status);
        switch (w.role()) {
            case OUTGOING -> finishOutgoing(app, w, status);
            case CANDIDATE -> {
                reapLeftovers(app, leftover);
                w.moveTo(new WorkerState.Stopped());
                if (app.reload() != null) app.reload().candidateExited(w, status, uptime);
                SlotHandover.persist(app, w.id);
            }
            case SERVING -> {
                boolean unasked = w.state() instanceof WorkerState.Starting || w.state() instanceof WorkerState.Online;
                switch (w.state()) {
                    case WorkerState.Stopping s -> stoppedAsAsked(app, w, s.pid(), status);
                    case WorkerState.Draining d -> stoppedAsAsked(app, w, d.pid(), status);
                    case WorkerState.Starting s -> { reapLeftovers(app, leftover); afterUnaskedExit(app, w, status, uptime); }
                    case WorkerState.Online o -> { reapLeftovers(app, leftover); afterUnaskedExit(app, w, status, uptime); }
                    default -> app.ctx().logs().note(app.spec().name(), "worker " + w.id + " exited while " + w.state().label());
                }
                if (unasked && app.reload() != null) app.reload().servingExited(w, status, uptime);
            }
        }
        app.updateRotation();
    }

    private static void stoppedAsAsked(App app, Worker w, long pid, ExitStatus status) {
        w.moveTo(new WorkerState.Stopped());
        if (AppConditions.relaunchWanted(app, w)) {
            app.ctx().event(app.spec().name(), w.id, "relaunched", "pid " + pid + " " + status.describe()
                    + "; started again on the shared socket of port " + app.publicPort().port());
            WorkerStarts.spawn(app, w);
            return;
        }
        app.ctx().event(app.spec().name(), w.id, "stopped", "pid " + pid + " " + status.describe());
        if (w.retiring()) {
            app.forgetRetired(w);
        } else {
            SlotHandover.persist(app, w.id);
        }
        app.closeListenerIfIdle();
        app.startIfRestartReady();
    }

    private static void finishOutgoing(App app, Worker w, ExitStatus status) {
        long pid = w.state().pid();
        if (w.state().hasProcess()) w.moveTo(new WorkerState.Stopped());
        app.outgoing().remove(w);
        app.ctx().event(app.spec().name(), w.id, "stopped", "old pid " + pid + " " + status.describe());
        SlotHandover.persist(app, w.id);
        if (app.reload() != null) app.reload().outgoingGone(w);
        app.closeListenerIfIdle();
    }

    private static void afterUnaskedExit(App app, Worker w, ExitStatus status, long uptimeMs) {
        boolean failedStart = w.failedStart();
        app.ctx().event(app.spec().name(), w.id, "exited", status.describe() + " after " + uptimeMs + " ms"
                + (failedStart ? " (stopped: not ready within listen_timeout)" : ""));
        boolean stopCode = status.code() != null && app.spec().restart().stopExitCodes().contains(status.code());
        if (stopCode) app.ctx().event(app.spec().name(), w.id, "not restarted", "exit code " + status.code() + " is in stop_exit_codes");
        if (!app.desiredRunning() || w.retiring() || stopCode) {
            w.moveTo(new WorkerState.Stopped());
            SlotHandover.persist(app, w.id);
            return;
        }
        if (!app.spec().restart().autorestart()) {
            w.moveTo(new WorkerState.Stopped());
            if (!failedStart && Integer.valueOf(0).equals(status.code())) w.markCompleted(); // a one-shot job that is done
            SlotHandover.persist(app, w.id);
            return;
        }
        restartOrGiveUp(app, w, failedStart ? 0 : uptimeMs, status, status.describe());
    }

    /** A spawn that failed is a start that failed at once: backoff, then errored after max_restarts in a row. */
    static void afterFailedSpawn(App app, Worker w, String why) {
        if (!app.desiredRunning() || w.retiring()) {
            if (!(w.state() instanceof WorkerState.Stopped)) w.moveTo(new WorkerState.Stopped());
            SlotHandover.persist(app, w.id);
            return;
        }
        if (!app.spec().restart().autorestart()) {
            w.moveTo(new WorkerState.Errored("could not be started: " + why));
            SlotHandover.persist(app, w.id);
            return;
        }
        restartOrGiveUp(app, w, 0, new ExitStatus(127, null), "could not be started");
    }

    private static void restartOrGiveUp(App app, Worker w, long uptimeMs, ExitStatus status, String what) {
        switch (RestartPolicy.of(app.spec()).decide(uptimeMs, w.unstableStreak())) {
            case RestartPolicy.Decision.RestartAfter r -> {
                w.countRestart(r.unstableStreak());
                app.ctx().counters(app.spec().name()).restarted(w.id);
                w.moveTo(new WorkerState.WaitingRestart(status));
                SlotHandover.persist(app, w.id);
                int gen = w.generation();
                app.schedule(Duration.ofMillis(r.delayMs()), () -> {
                    if (w.generation() == gen && w.state() instanceof WorkerState.WaitingRestart && app.isServing(w)) {
                        app.ctx().event(app.spec().name(), w.id, "restarted", "after " + r.delayMs() + " ms backoff (restart " + w.restarts() + ")");
                        WorkerStarts.spawn(app, w);
                    }
                });
            }
            case RestartPolicy.Decision.GiveUp g -> {
                String why = g.unstableStreak() + " failed starts in a row (" + what + "; each exited within min_uptime "
                        + app.spec().restart().minUptimeMs() + " ms, was not ready, or could not be started); not restarting";
                w.moveTo(new WorkerState.Errored(why));
                SlotHandover.persist(app, w.id);
                app.ctx().event(app.spec().name(), w.id, "errored", why);
                app.ctx().logs().note(app.spec().name(), "worker " + w.id + " errored: " + why);
            }
        }
    }

    /** A crashed worker's children (npm → sh → node) must not outlive it holding ports and files. */
    private static void reapLeftovers(App app, ProcessIdentity dead) {
        if (dead == null) return;
        app.host().terminate(dead, app.stopSignal(), Duration.ofMillis(app.spec().process().killTimeoutMs()));
    }
}
