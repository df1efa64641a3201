package zdm.supervisor;

import java.time.Duration;

/**
 * {@code liveness: watchdog}, systemd's WatchdogSec for a worker: once online, it must send
 * sd_notify's {@code WATCHDOG=1} (received by its {@link NotifyWatch}) at least every
 * {@code liveness_interval}, announced to it as {@code WATCHDOG_USEC}. A worker that lets the
 * interval pass without one is handled as a failed liveness probe ({@link LivenessCheck#unresponsive}): out
 * of rotation, SIGKILL, restarted. The clock starts when the worker goes online, so a slow start
 * is {@code listen_timeout}'s business, not the watchdog's.
 *
 * <p>One timer per online process, re-armed for the moment the interval would end after the last
 * heartbeat; it ends by itself once the process is no longer the online one of its slot.
 */
final class WatchdogCheck {
    private WatchdogCheck() {}

    static void start(App app, Worker w, int gen) {
        long onlineAt = app.host().nowMs();
        check(app, w, gen, onlineAt, Duration.ofMillis(app.spec().health().livenessIntervalMs()));
    }

    private static void check(App app, Worker w, int gen, long onlineAt, Duration after) {
        app.schedule(after, () -> {
            if (w.generation() != gen || !(w.state() instanceof WorkerState.Online)) return;
            long interval = app.spec().health().livenessIntervalMs();
            long last = Math.max(onlineAt, w.lastWatchdogMs());
            long silent = app.host().nowMs() - last;
            if (silent < interval) {
                check(app, w, gen, onlineAt, Duration.ofMillis(interval - silent));
                return;
            }
            LivenessCheck.unresponsive(app, w, gen, (w.lastWatchdogMs() == 0 ? "sent no WATCHDOG=1 since it went online "
                    : "sent no WATCHDOG=1 for ") + silent + " ms (liveness: watchdog, liveness_interval " + interval + " ms)");
        });
    }
}
