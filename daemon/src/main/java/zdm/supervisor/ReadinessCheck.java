package zdm.supervisor;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import zdm.config.Readiness;

/**
 * Decides when a spawned worker is ready, because spawned is not ready: its private port accepts
 * a connection ({@code tcp}), a GET answers 2xx ({@code http}), its stdout or stderr prints a matching
 * line ({@code log}), or it stays alive for a while ({@code delay}, {@code uptime}). Probing kinds must
 * pass within {@code listen_timeout}. Probes and timers go through the {@link Host}; verdicts are
 * posted to the loop, tagged with the worker's generation so that a verdict about an older process
 * is ignored.
 */
final class ReadinessCheck {
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(25);

    interface Ready { void accept(Worker w, int generation); }

    interface NotReady { void accept(Worker w, int generation, String why); }

    /**
     * One process's output (both streams), watched for the {@code log:} pattern. Created with the pattern before the
     * process starts, and armed with what to do only once the spawn is recorded: a fast worker can
     * print its line in between (spawn, then a store write, then arming), and that line must still
     * count, so a match seen before {@link #arm} runs the action when it is armed. Thread-safe: lines
     * come from the capture thread, arm and disarm from the loop. The action runs outside the lock.
     */
    static final class LineWatch {
        private final Pattern pattern; // null: the app's readiness is not ready: {log: ...}
        private boolean matched;       // guarded by this
        private Runnable onMatch;      // guarded by this

        LineWatch(Pattern pattern) {
            this.pattern = pattern;
        }

        void line(String text) {
            if (pattern == null || !pattern.matcher(text).find()) return;
            Runnable action;
            synchronized (this) {
                if (matched) return; // once
                matched = true;
                action = onMatch;
                onMatch = null;
            }
            if (action != null) action.run();
        }

        /** Runs {@code action} on the first matching line, at once if one was printed already. */
        void arm(Runnable action) {
            boolean already;
            synchronized (this) {
                already = matched;
                if (!already) onMatch = action;
            }
            if (already) action.run();
        }

        void disarm() {
            synchronized (this) {
                onMatch = null;
            }
        }
    }

    private ReadinessCheck() {}

    /** {@code launched}: the worker's output watch, NOTIFY_SOCKET receiver and ready file, where its readiness has them. */
    static void start(App app, Worker w, int gen, WorkerLaunch.Launched launched, Ready ready, NotReady notReady) {
        var watch = launched.lineWatch();
        var notify = launched.notifyWatch();
        var spec = app.spec();
        if (notify != null && !(spec.health().ready() instanceof Readiness.Notify)) notify.watch(app, w, gen, null, ready, notReady);
        var deadline = Duration.ofMillis(spec.health().listenTimeoutMs());
        int port = w.privatePort();
        if (launched.listenRequest() != null) PortRequest.watch(app, w, gen, launched.listenRequest());
        var readiness = spec.health().ready();
        // A port-learning Node app's worker started before the port is known cannot listen on it: it is ready after
        // min_uptime if it never listens (a queue consumer); if it does, it is started again on the socket.
        if (readiness instanceof Readiness.Listening && spec.network().learnsPort() && launched.socket() == null) readiness = new Readiness.Uptime();
        int sharedPort = launched.socket() != null ? launched.socket().port() : spec.network().port() == null ? 0 : spec.network().port();
        switch (readiness) {
            case Readiness.Uptime u -> app.schedule(Duration.ofMillis(spec.restart().minUptimeMs()), () -> ready.accept(w, gen));
            case Readiness.Delay d -> app.schedule(Duration.ofMillis(d.ms()), () -> ready.accept(w, gen));
            case Readiness.Tcp t -> probe(app, w, gen, new Host.Probe.Tcp(port), app.host().nowMs() + deadline.toMillis(),
                    "did not accept connections on its PORT " + port, ready, notReady);
            case Readiness.Http h -> probe(app, w, gen, new Host.Probe.HttpOk(port, h.path()), app.host().nowMs() + deadline.toMillis(),
                    "did not answer 2xx to GET " + h.path() + " on its PORT " + port, ready, notReady);
            case Readiness.Notify n -> notify.watch(app, w, gen, deadline, ready, notReady);
            case Readiness.Message m -> probe(app, w, gen, new Host.Probe.ReadyFile(launched.readyFile()),
                    app.host().nowMs() + deadline.toMillis(), "did not process.send('ready')", ready, notReady);
            case Readiness.Listening l -> probe(app, w, gen, new Host.Probe.ReadyFile(launched.readyFile()),
                    app.host().nowMs() + deadline.toMillis(), "did not listen on its port " + sharedPort
                            + " (zdm's preload turns that listen() into the shared socket)", ready, notReady);
            case Readiness.Log l -> {
                var decided = new AtomicBoolean();
                watch.arm(() -> {
                    if (decided.compareAndSet(false, true)) app.post(() -> ready.accept(w, gen));
                });
                app.schedule(deadline, () -> {
                    if (decided.compareAndSet(false, true)) {
                        watch.disarm();
                        notReady.accept(w, gen, "printed no line matching /" + l.pattern() + "/ within listen_timeout "
                                + deadline.toMillis() + " ms");
                    }
                });
            }
        }
    }

    /** One probe now; on a miss, another after {@link #PROBE_INTERVAL} until the deadline (host time) or the exit. */
    private static void probe(App app, Worker w, int gen, Host.Probe probe, long deadlineMs, String failure, Ready ready,
                              NotReady notReady) {
        if (!current(w, gen)) return;
        app.host().probe(probe).thenAccept(ok -> app.post(() -> {
            if (!current(w, gen)) return;
            if (ok) {
                ready.accept(w, gen);
            } else if (app.host().nowMs() >= deadlineMs) {
                notReady.accept(w, gen, failure + " within listen_timeout " + app.spec().health().listenTimeoutMs() + " ms");
            } else {
                app.schedule(PROBE_INTERVAL, () -> probe(app, w, gen, probe, deadlineMs, failure, ready, notReady));
            }
        }));
    }

    private static boolean current(Worker w, int gen) {
        return w.generation() == gen && w.state() instanceof WorkerState.Starting;
    }
}
