package zdm.supervisor;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.TreeMap;
import zdm.config.AppSpec;
import zdm.net.Backend;
import zdm.net.FreePorts;
import zdm.net.PortListener;
import zdm.proc.ExitStatus;
import zdm.proc.ProcessTree;
import zdm.proc.Signal;
import zdm.proc.SpawnSpec;
import zdm.proc.WorkerProcess;

/**
 * One app's cluster: its workers, its daemon-owned port, and what happens when a worker starts,
 * becomes ready, exits or is stopped. Confined to the {@link SupervisionLoop}; all blocking work
 * (killing a process tree, probing a port) runs on virtual threads that post their results back.
 */
final class App {
    private final SupervisionLoop loop;
    private final AppContext ctx;
    private final TreeMap<Integer, Worker> workers = new TreeMap<>();
    private AppSpec spec;
    private boolean desiredRunning;
    private PortListener listener;
    /** A restart is waiting for the last old worker to be gone before it starts the new ones. */
    private boolean restartPending;

    App(SupervisionLoop loop, AppContext ctx, AppSpec spec, boolean desiredRunning) {
        this.loop = loop;
        this.ctx = ctx;
        this.spec = spec;
        this.desiredRunning = desiredRunning;
    }

    String name() { return spec.name(); }
    AppSpec spec() { return spec; }
    boolean desiredRunning() { return desiredRunning; }
    Collection<Worker> workers() { return workers.values(); }
    PortListener listener() { return listener; }

    void replaceSpec(AppSpec next) {
        spec = next;
    }

    /** Hands over a listener opened by the caller before anything was changed (see Supervisor). */
    void adoptListener(PortListener l) {
        if (listener != null && listener != l) listener.close();
        listener = l;
        updateRotation();
    }

    boolean needsListener() {
        return spec.port() != null && (listener == null || listener.port() != spec.port());
    }

    // ---- commands -------------------------------------------------------------------------

    /** Wants every slot 0..instances-1 running; forgives errored slots. */
    void start() {
        loop.assertOnLoop();
        desiredRunning = true;
        for (int id = 0; id < spec.instances(); id++) {
            var w = workers.computeIfAbsent(id, Worker::new);
            switch (w.state()) {
                case WorkerState.Stopped s -> { w.resetCounters(); spawn(w); }
                case WorkerState.Errored e -> { w.resetCounters(); spawn(w); }
                default -> { /* already running, starting, stopping or about to restart */ }
            }
        }
    }

    /** Stops every worker. {@code keepDesired} is false for `zdm stop`, true for restart and shutdown. */
    void stop(boolean keepDesired) {
        loop.assertOnLoop();
        restartPending = false;
        if (!keepDesired) desiredRunning = false;
        for (var w : List.copyOf(workers.values())) stopWorker(w);
        closeListenerIfIdle();
    }

    /** The hard restart: stop every worker, then start them all again (the port stays open). */
    void restart() {
        loop.assertOnLoop();
        desiredRunning = true;
        for (var w : workers.values()) if (w.state() instanceof WorkerState.Errored) w.resetCounters();
        if (allStopped()) {
            start();
            return;
        }
        restartPending = true;
        for (var w : List.copyOf(workers.values())) stopWorker(w);
        if (allStopped()) { // only slots without a process (errored, waiting to restart)
            restartPending = false;
            start();
        }
    }

    /** Scale to {@code n} workers: new slots start, the highest ids are drained and removed. */
    void scale(int n) {
        loop.assertOnLoop();
        spec = spec.withInstances(n);
        for (var w : List.copyOf(workers.values())) {
            if (w.id >= n) {
                w.retire();
                stopWorker(w);
            }
        }
        if (desiredRunning) start();
    }

    /** True once every slot has settled: online, errored, stopped, or crashed and waiting to restart. */
    boolean settled() {
        return workers.values().stream().allMatch(w -> switch (w.state()) {
            case WorkerState.Starting s -> false;
            case WorkerState.Stopping s -> false;
            default -> true;
        }) && !restartPending && (!desiredRunning || workers.size() >= spec.instances());
    }

    boolean allStopped() {
        return workers.values().stream().allMatch(w -> !w.state().hasProcess()
                && !(w.state() instanceof WorkerState.WaitingRestart));
    }

    boolean hasErrored() {
        return workers.values().stream().anyMatch(w -> w.state() instanceof WorkerState.Errored);
    }

    // ---- worker lifecycle ----------------------------------------------------------------

    private void spawn(Worker w) {
        int port = 0;
        var env = new HashMap<>(spec.env());
        env.put("ZDM_APP", spec.name());
        env.put("ZDM_WORKER_ID", Integer.toString(w.id));
        env.put("NODE_APP_INSTANCE", Integer.toString(w.id));
        WorkerProcess p;
        try {
            if (spec.port() != null) {
                port = FreePorts.reserve();
                env.put("PORT", Integer.toString(port));
            }
            p = WorkerProcess.spawn(new SpawnSpec(spec.name(), w.id, spec.command(), java.nio.file.Path.of(spec.cwd()), env), ctx.logs());
        } catch (IOException e) {
            // Treated like an instant crash: the restart policy throttles it and ends in errored.
            ctx.event(spec.name(), w.id, "spawn-failed", e.getMessage());
            ctx.logs().note(spec.name(), "worker " + w.id + " could not be started: " + e.getMessage());
            afterUnaskedExit(w, new ExitStatus(127, null), 0);
            return;
        }
        long now = System.currentTimeMillis();
        int gen = w.spawned(p, port, now);
        w.moveTo(new WorkerState.Starting(p.pid(), now));
        ctx.persist(spec.name(), w);
        ctx.event(spec.name(), w.id, "started", "pid " + p.pid());
        p.onExit().thenAccept(status -> loop.post(() -> onExit(w, gen, status)));
        ReadinessCheck.start(loop, spec, w, gen, this::onReady, this::onNotReady);
    }

    private void onReady(Worker w, int gen) {
        if (w.generation() != gen || !(w.state() instanceof WorkerState.Starting s)) return;
        long now = System.currentTimeMillis();
        w.moveTo(new WorkerState.Online(s.pid(), now));
        ctx.persist(spec.name(), w);
        ctx.event(spec.name(), w.id, "online", "pid " + s.pid() + " ready after " + (now - s.sinceMs()) + " ms");
        updateRotation();
    }

    /** The readiness deadline passed: kill the process; its exit then counts as an unstable crash. */
    private void onNotReady(Worker w, int gen, String why) {
        if (w.generation() != gen || !(w.state() instanceof WorkerState.Starting)) return;
        ctx.event(spec.name(), w.id, "not-ready", why);
        ctx.logs().note(spec.name(), "worker " + w.id + " " + why + "; killing it");
        w.markFailedStart();
        var id = w.identity();
        Thread.ofVirtual().start(() -> ProcessTree.terminate(id, Signal.SIGKILL, Duration.ZERO));
    }

    private void onExit(Worker w, int gen, ExitStatus status) {
        if (w.generation() != gen) return; // news about a process this slot no longer runs
        long uptime = w.failedStart() ? 0 : System.currentTimeMillis() - w.spawnedAtMs();
        var leftover = w.identity();
        w.exited(status);
        switch (w.state()) {
            case WorkerState.Stopping s -> {
                w.moveTo(new WorkerState.Stopped());
                ctx.event(spec.name(), w.id, "stopped", "pid " + s.pid() + " " + status.describe());
                if (w.retiring()) {
                    workers.remove(w.id);
                    ctx.forget(spec.name(), w);
                } else {
                    ctx.persist(spec.name(), w);
                }
                closeListenerIfIdle();
                if (restartPending && allStopped()) {
                    restartPending = false;
                    start();
                }
            }
            case WorkerState.Starting s -> { reapLeftovers(leftover); afterUnaskedExit(w, status, uptime); }
            case WorkerState.Online o -> { reapLeftovers(leftover); afterUnaskedExit(w, status, uptime); }
            default -> ctx.logs().note(spec.name(), "worker " + w.id + " exited while " + w.state().label());
        }
        updateRotation();
    }

    private void afterUnaskedExit(Worker w, ExitStatus status, long uptimeMs) {
        ctx.event(spec.name(), w.id, "exited", status.describe() + " after " + uptimeMs + " ms");
        if (!desiredRunning || !spec.autorestart() || w.retiring()) {
            w.moveTo(new WorkerState.Stopped());
            ctx.persist(spec.name(), w);
            return;
        }
        switch (RestartPolicy.of(spec).decide(uptimeMs, w.unstableStreak())) {
            case RestartPolicy.Decision.RestartAfter r -> {
                w.countRestart(r.unstableStreak());
                long at = System.currentTimeMillis() + r.delayMs();
                w.moveTo(new WorkerState.WaitingRestart(at, status));
                ctx.persist(spec.name(), w);
                int gen = w.generation();
                loop.schedule(Duration.ofMillis(r.delayMs()), () -> {
                    if (w.generation() == gen && w.state() instanceof WorkerState.WaitingRestart && workers.get(w.id) == w) {
                        ctx.event(spec.name(), w.id, "restarted", "after " + r.delayMs() + " ms backoff (restart " + w.restarts() + ")");
                        spawn(w);
                    }
                });
            }
            case RestartPolicy.Decision.GiveUp g -> {
                String why = g.unstableStreak() + " exits within min_uptime (" + spec.minUptimeMs() + " ms); not restarting";
                w.moveTo(new WorkerState.Errored(why));
                ctx.persist(spec.name(), w);
                ctx.event(spec.name(), w.id, "errored", why);
                ctx.logs().note(spec.name(), "worker " + w.id + " errored: " + why);
            }
        }
    }

    private void stopWorker(Worker w) {
        switch (w.state()) {
            case WorkerState.Starting s -> beginStop(w, s.pid());
            case WorkerState.Online o -> beginStop(w, o.pid());
            case WorkerState.WaitingRestart r -> finishStopWithoutProcess(w);
            case WorkerState.Errored e -> finishStopWithoutProcess(w);
            case WorkerState.Stopped s -> { if (w.retiring()) { workers.remove(w.id); ctx.forget(spec.name(), w); } }
            case WorkerState.Stopping s -> { /* already on its way */ }
        }
    }

    private void beginStop(Worker w, long pid) {
        w.moveTo(new WorkerState.Stopping(pid, System.currentTimeMillis()));
        ctx.persist(spec.name(), w);
        updateRotation();
        var id = w.identity();
        var signal = Signal.parse(spec.stopSignal()).orElse(Signal.SIGTERM);
        var timeout = Duration.ofMillis(spec.killTimeoutMs());
        String app = spec.name();
        Thread.ofVirtual().name("zdm-stop-" + app + "-" + w.id).start(() -> {
            var outcome = ProcessTree.terminate(id, signal, timeout);
            if (outcome.escalatedToKill()) {
                loop.post(() -> ctx.event(app, w.id, "killed", "pid " + pid + " ignored " + signal
                        + " for kill_timeout " + timeout.toMillis() + " ms; sent SIGKILL to its process tree"));
            }
        });
    }

    private void finishStopWithoutProcess(Worker w) {
        w.moveTo(new WorkerState.Stopped());
        if (w.retiring()) {
            workers.remove(w.id);
            ctx.forget(spec.name(), w);
        } else {
            ctx.persist(spec.name(), w);
        }
    }

    /** A crashed worker's children (npm → sh → node) must not outlive it holding ports and files. */
    private void reapLeftovers(zdm.proc.ProcessIdentity dead) {
        if (dead == null) return;
        var signal = Signal.parse(spec.stopSignal()).orElse(Signal.SIGTERM);
        var timeout = Duration.ofMillis(spec.killTimeoutMs());
        Thread.ofVirtual().start(() -> ProcessTree.terminate(dead, signal, timeout));
    }

    private void updateRotation() {
        if (listener == null) return;
        var ready = new ArrayList<Backend>();
        for (var w : workers.values()) {
            if (w.state() instanceof WorkerState.Online) ready.add(new Backend(w.id, w.privatePort()));
        }
        listener.setBackends(ready);
    }

    private void closeListenerIfIdle() {
        if (listener != null && !desiredRunning && allStopped()) {
            listener.close();
            listener = null;
        }
    }

    /** Closes the port immediately; for delete and daemon shutdown after the workers are gone. */
    void closeListener() {
        if (listener != null) {
            listener.close();
            listener = null;
        }
    }
}
