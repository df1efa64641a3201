package zdm.supervisor;

import java.time.Duration;
import zdm.log.DaemonLog;

/**
 * What an unexpected exception while handling one app leads to ({@link App#guard}): every worker of the app is
 * errored with the message, its processes are stopped, a running reload ends as failed, and the stack trace goes
 * to daemon.log. The other apps and the loop go on, which is why each step here is best effort: a second surprise
 * while cleaning up must not escape either.
 */
final class AppFailure {
    private AppFailure() {}

    static void fail(App app, RuntimeException e) {
        var spec = app.spec();
        String why = "internal error: " + e;
        DaemonLog.error(spec.name() + ": " + why + "; the app is errored", e);
        app.ctx().event(spec.name(), null, "errored", why + " (stack trace in daemon.log)");
        var all = app.allWorkers();
        var running = app.dropWorkInProgress();
        for (var w : all) {
            var id = w.state().hasProcess() ? w.identity() : null;
            w.forceErrored(why);
            if (id != null) {
                try {
                    app.host().terminate(id, app.stopSignal(), Duration.ofMillis(spec.process().killTimeoutMs()));
                } catch (RuntimeException again) {
                    DaemonLog.error(spec.name() + ": cannot stop pid " + id.pid(), again);
                }
            }
        }
        if (running != null) running.abandon(why);
        for (var w : app.workers()) {
            try {
                SlotHandover.persist(app, w.id);
            } catch (RuntimeException ignored) {
                // best effort: the state in memory is what the daemon answers with
            }
        }
        try {
            app.updateRotation();
        } catch (RuntimeException ignored) {
            // the rotation keeps what it had; errored workers get no new connections once it works again
        }
    }
}
