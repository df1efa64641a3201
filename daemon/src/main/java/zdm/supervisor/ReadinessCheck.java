package zdm.supervisor;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import zdm.config.Readiness;
import zdm.net.HttpProbe;
import zdm.net.TcpProbe;

/**
 * Decides when a spawned worker is ready, because spawned is not ready: its private port accepts
 * a connection ({@code tcp}), a GET answers 2xx ({@code http}), its stdout prints a matching line
 * ({@code log}), or it stays alive for a while ({@code delay}, {@code uptime}). Probing kinds must pass
 * within {@code listen_timeout}. Verdicts are posted to the loop, tagged with the worker's
 * generation so that a verdict about an older process is ignored.
 */
final class ReadinessCheck {
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(25);

    interface Ready { void accept(Worker w, int generation); }

    interface NotReady { void accept(Worker w, int generation, String why); }

    /**
     * One process's stdout, watched for the {@code log:} pattern. Created with the pattern before the
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

    /** @param notify the worker's NOTIFY_SOCKET receiver (ready: notify or liveness: watchdog), else null */
    static void start(App app, Worker w, int gen, LineWatch watch, NotifyWatch notify, Ready ready, NotReady notReady) {
        var spec = app.spec();
        if (notify != null && !(spec.ready() instanceof Readiness.Notify)) notify.watch(app, w, gen, null, ready, notReady);
        var loop = app.loop();
        var deadline = Duration.ofMillis(spec.listenTimeoutMs());
        int port = w.privatePort();
        switch (spec.ready()) {
            case Readiness.Uptime u -> loop.schedule(Duration.ofMillis(spec.minUptimeMs()), () -> ready.accept(w, gen));
            case Readiness.Delay d -> loop.schedule(Duration.ofMillis(d.ms()), () -> ready.accept(w, gen));
            case Readiness.Tcp t -> probe(app, w, gen, () -> TcpProbe.accepts(port, Duration.ofMillis(250)),
                    "did not accept connections on its PORT " + port, ready, notReady);
            case Readiness.Http h -> probe(app, w, gen, () -> HttpProbe.ok(port, h.path(), Duration.ofSeconds(1)),
                    "did not answer 2xx to GET " + h.path() + " on its PORT " + port, ready, notReady);
            case Readiness.Notify n -> notify.watch(app, w, gen, deadline, ready, notReady);
            case Readiness.Log l -> {
                var decided = new AtomicBoolean();
                watch.arm(() -> {
                    if (decided.compareAndSet(false, true)) loop.post(() -> ready.accept(w, gen));
                });
                loop.schedule(deadline, () -> {
                    if (decided.compareAndSet(false, true)) {
                        watch.disarm();
                        notReady.accept(w, gen, "printed no line matching /" + l.pattern() + "/ within listen_timeout "
                                + deadline.toMillis() + " ms");
                    }
                });
            }
        }
    }

    private static void probe(App app, Worker w, int gen, BooleanSupplier check, String failure, Ready ready, NotReady notReady) {
        var process = w.process();
        var loop = app.loop();
        long timeoutMs = app.spec().listenTimeoutMs();
        Thread.ofVirtual().name("zdm-ready-" + app.name() + "-" + w.id).start(() -> {
            long deadline = System.nanoTime() + timeoutMs * 1_000_000;
            while (System.nanoTime() < deadline && !process.onExit().isDone()) {
                if (check.getAsBoolean()) {
                    loop.post(() -> ready.accept(w, gen));
                    return;
                }
                try {
                    Thread.sleep(PROBE_INTERVAL); // the probe's interval: there is nothing to be told about
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (!process.onExit().isDone()) {
                loop.post(() -> notReady.accept(w, gen, failure + " within listen_timeout " + timeoutMs + " ms"));
            }
        });
    }
}
