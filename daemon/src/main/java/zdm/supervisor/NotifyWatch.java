package zdm.supervisor;

import java.time.Duration;

/** ready: notify (placeholder until the datagram socket lands). */
final class NotifyWatch {
    private NotifyWatch() {}

    static void arm(App app, Worker w, int gen, Duration deadline, ReadinessCheck.Ready ready, ReadinessCheck.NotReady notReady) {
        app.loop().post(() -> notReady.accept(w, gen, "ready: notify is not available yet"));
    }
}
