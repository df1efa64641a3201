package zdm.supervisor;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * How a worker leaves: first out of the port's rotation while its open connections finish
 * ({@link WorkerState.Draining}, bounded by kill_timeout), then the stop signal to its process
 * tree, then SIGKILL after another kill_timeout ({@link WorkerState.Stopping}). A worker without
 * connections to wait for (no port, or not yet in rotation) goes straight to the signal.
 */
final class StopSequence {
    private StopSequence() {}

    /**
     * Stops a worker of a slot by its state: one with a process goes through the sequence, one without (waiting to
     * restart, errored) is stopped at once, and one already on its way is left to it.
     */
    static void stop(App app, Worker w) {
        switch (w.state()) {
            case WorkerState.Starting s -> begin(app, w);
            case WorkerState.Online o -> begin(app, w);
            case WorkerState.WaitingRestart r -> stoppedWithoutProcess(app, w);
            case WorkerState.Errored e -> stoppedWithoutProcess(app, w);
            case WorkerState.Stopped s -> { if (w.retiring()) app.forgetRetired(w); }
            case WorkerState.Draining d -> { /* already on its way */ }
            case WorkerState.Stopping s -> { /* already on its way */ }
        }
    }

    private static void stoppedWithoutProcess(App app, Worker w) {
        w.moveTo(new WorkerState.Stopped());
        if (w.retiring()) {
            app.forgetRetired(w);
        } else {
            SlotHandover.persist(app, w.id);
        }
        app.startIfRestartReady();
    }

    static void begin(App app, Worker w) {
        var listener = app.listener();
        if (!(w.state() instanceof WorkerState.Online online) || listener == null) {
            signal(app, w);
            return;
        }
        long pid = online.pid();
        long began = app.host().nowMs();
        w.moveTo(new WorkerState.Draining(pid, began));
        SlotHandover.persist(app, w.id);
        app.updateRotation(); // no new connection reaches it from here on
        int key = w.backendKey();
        int open = listener.openConnections().getOrDefault(key, 0);
        int gen = w.generation();
        long timeoutMs = app.spec().process().killTimeoutMs();
        // Whichever comes first ends the drain: the last connection closing, or kill_timeout on the loop's one
        // scheduler (the Host's clock, as every other supervision timer); the later one finds the worker moved on.
        Consumer<Boolean> finish = drained -> {
            if (w.generation() != gen || !(w.state() instanceof WorkerState.Draining)) return;
            long took = app.host().nowMs() - began;
            String how = drained
                    ? "drained " + open + " connection(s) in " + took + " ms"
                    : "kill_timeout (" + timeoutMs + " ms) passed with " + currentOpen(app, key) + " connection(s) still open";
            app.ctx().event(app.name(), w.id, "drained", "pid " + pid + " " + how);
            signal(app, w);
        };
        listener.whenIdle(key).whenComplete((ok, failed) -> app.post(() -> finish.accept(failed == null)));
        app.schedule(Duration.ofMillis(timeoutMs), () -> finish.accept(false));
    }

    private static int currentOpen(App app, int key) {
        var l = app.listener();
        return l == null ? 0 : l.openConnections().getOrDefault(key, 0);
    }

    /** Stop signal to the whole tree now, SIGKILL after kill_timeout; the exit arrives through onExit. */
    private static void signal(App app, Worker w) {
        long pid = w.state().pid();
        w.moveTo(new WorkerState.Stopping(pid, app.host().nowMs()));
        SlotHandover.persist(app, w.id);
        app.updateRotation();
        signalOnly(app, w);
    }

    /**
     * The stop signal and SIGKILL after kill_timeout, leaving the state alone: for a worker that did not become ready,
     * whose exit is still a failed start (it restarts with backoff), not a stop that was asked for.
     */
    static void signalOnly(App app, Worker w) {
        long pid = w.state().pid();
        var spec = app.spec();
        var signal = app.stopSignal();
        var timeout = Duration.ofMillis(spec.process().killTimeoutMs());
        app.host().terminate(w.identity(), signal, timeout).thenAccept(outcome -> {
            if (outcome.escalatedToKill()) {
                app.post(() -> app.ctx().event(spec.name(), w.id, "killed", "pid " + pid + " ignored " + signal
                        + " for kill_timeout " + timeout.toMillis() + " ms; sent SIGKILL to its process tree"));
            }
        });
    }
}
