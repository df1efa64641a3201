package zdm.supervisor;

import java.time.Duration;
import zdm.config.AppSpec;
import zdm.net.TcpProbe;

/**
 * Decides when a spawned worker is ready, because spawned is not ready. An app with a port is
 * ready once its private port accepts a TCP connection; an app without one once it has stayed up
 * for {@code min_uptime} (pm2's definition of "started"). Results are posted to the loop, tagged with
 * the worker's generation so that a verdict about an older process is ignored.
 */
final class ReadinessCheck {
    /** How long a worker with a port may take to listen before it counts as a failed start. */
    static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(25);

    interface Ready { void accept(Worker w, int generation); }

    interface NotReady { void accept(Worker w, int generation, String why); }

    private ReadinessCheck() {}

    static void start(SupervisionLoop loop, AppSpec spec, Worker w, int gen, Ready ready, NotReady notReady) {
        if (spec.port() == null) {
            loop.schedule(Duration.ofMillis(spec.minUptimeMs()), () -> ready.accept(w, gen));
            return;
        }
        int port = w.privatePort();
        var process = w.process();
        Thread.ofVirtual().name("zdm-ready-" + spec.name() + "-" + w.id).start(() -> {
            long deadline = System.nanoTime() + LISTEN_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline && !process.onExit().isDone()) {
                if (TcpProbe.accepts(port, Duration.ofMillis(250))) {
                    loop.post(() -> ready.accept(w, gen));
                    return;
                }
                try {
                    Thread.sleep(PROBE_INTERVAL); // a probe interval, not a wait for a condition we could be told about
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (!process.onExit().isDone()) {
                loop.post(() -> notReady.accept(w, gen, "did not listen on its PORT " + port
                        + " within " + LISTEN_TIMEOUT.toSeconds() + " s"));
            }
        });
    }
}
