package zdm.supervisor;

import java.time.Duration;
import zdm.config.Readiness;
import zdm.proc.Signal;

/**
 * Keeps asking an online worker of an app with {@code liveness_interval} whether it still answers:
 * a GET of the {@code ready: {http: ...}} path (else "/") on its private PORT, where any HTTP status
 * counts. A process that is stopped (SIGSTOP), deadlocked or spinning stays "alive" for the OS and
 * even completes TCP handshakes through the kernel, but never answers; after
 * {@code liveness_failures} probes in a row without an answer within {@code liveness_timeout} the
 * app takes it out of rotation and replaces it ({@link #unresponsive}).
 *
 * <p>One chain of probes per process, tagged with the worker's generation: a chain ends by itself as
 * soon as its process is no longer the online one of the slot. The failure count travels with the
 * chain, so no state is added to {@link Worker}. Probes run through the {@link Host}; verdicts are posted.
 */
final class LivenessCheck {
    private LivenessCheck() {}

    static void start(App app, Worker w, int gen) {
        if (app.spec().health().watchdog()) {
            WatchdogCheck.start(app, w, gen);
            return;
        }
        if (app.spec().health().livenessIntervalMs() <= 0 || w.privatePort() == 0) return;
        next(app, w, gen, 0);
    }

    private static void next(App app, Worker w, int gen, int failures) {
        var spec = app.spec();
        app.schedule(Duration.ofMillis(spec.health().livenessIntervalMs()), () -> {
            if (!current(w, gen)) return;
            int port = w.privatePort();
            String path = spec.health().ready() instanceof Readiness.Http h ? h.path() : "/";
            var timeout = Duration.ofMillis(spec.health().livenessTimeoutMs());
            app.host().probe(new Host.Probe.HttpAnswers(port, path, timeout)).thenAccept(answered ->
                    app.post(() -> verdict(app, w, gen, answered ? 0 : failures + 1, path)));
        });
    }

    private static void verdict(App app, Worker w, int gen, int failures, String path) {
        if (!current(w, gen)) return;
        var spec = app.spec();
        if (failures < spec.health().livenessFailures()) {
            next(app, w, gen, failures);
            return;
        }
        unresponsive(app, w, gen, "did not answer GET " + path + " on its PORT " + w.privatePort() + " within "
                + spec.health().livenessTimeoutMs() + " ms, " + failures + " times in a row (liveness_failures)");
    }

    /**
     * An online worker stopped answering its liveness probe (or its watchdog): out of the rotation at once, then
     * SIGKILL to its tree (a stopped or hung process would not act on a polite signal). Its exit is an unasked
     * one, so the slot restarts through the usual backoff, as after a crash.
     */
    static void unresponsive(App app, Worker w, int gen, String why) {
        if (w.generation() != gen || !(w.state() instanceof WorkerState.Online)) return;
        app.ctx().event(app.name(), w.id, "unresponsive", "pid " + w.state().pid() + " " + why + "; killing it");
        app.ctx().logs().note(app.name(), "worker " + w.id + " " + why + "; killing it");
        w.markUnresponsive();
        app.updateRotation();
        app.host().terminate(w.identity(), Signal.SIGKILL, Duration.ZERO);
    }

    private static boolean current(Worker w, int gen) {
        return w.generation() == gen && w.state() instanceof WorkerState.Online;
    }
}
