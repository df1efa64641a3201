package zdm.supervisor;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Watches for the one request a worker of a port-learning Node app ({@link zdm.config.NetworkSpec#learnsPort}) can
 * make: zdm's preload writes the port (and host) of the app's first {@code listen()} into the worker's request
 * file when the worker has no shared socket for it; {@link PortLearning#onRequest} binds it and starts the workers
 * again on it. Polled through the {@link Host} while the process lives, every 25 ms during its listen_timeout, then
 * once a second: a worker that never listens (a queue consumer) costs one file check a second.
 */
final class PortRequest {
    private static final Duration FIRST = Duration.ofMillis(25);
    private static final Duration MOST = Duration.ofSeconds(1);

    private PortRequest() {}

    static void watch(App app, Worker w, int gen, Path file) {
        poll(app, w, gen, file, app.host().nowMs() + app.spec().health().listenTimeoutMs());
    }

    /** Every 25 ms until {@code fastUntilMs} (host time), while a server usually starts; then once a second. */
    private static void poll(App app, Worker w, int gen, Path file, long fastUntilMs) {
        if (!current(w, gen)) return;
        app.host().take(file).thenAccept(content -> app.post(() -> {
            if (!current(w, gen)) return;
            if (content != null) {
                PortLearning.onRequest(app, w, gen, content);
                return;
            }
            app.schedule(app.host().nowMs() < fastUntilMs ? FIRST : MOST, () -> poll(app, w, gen, file, fastUntilMs));
        }));
    }

    private static boolean current(Worker w, int gen) {
        return w.generation() == gen && w.state().hasProcess() && !w.relaunching();
    }
}
