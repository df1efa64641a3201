package zdm.supervisor;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import zdm.config.AppSpec;
import zdm.net.Backend;
import zdm.net.PortListener;
import zdm.net.PublicPort;
import zdm.proc.ExitStatus;
import zdm.proc.ProcessIdentity;
import zdm.proc.ProcessTree;
import zdm.proc.Signal;

/**
 * One app's cluster: its worker slots, its daemon-owned port, and what happens when a worker
 * starts, becomes ready, exits or is stopped. Besides the serving worker of each slot there may be
 * a replacement being started by a {@link RollingReload} and old processes on their way out
 * ({@code outgoing}). Confined to the {@link SupervisionLoop}; blocking work (killing a process
 * tree, probing readiness) runs on virtual threads that post their results back.
 */
final class App {
    private final SupervisionLoop loop;
    private final AppContext ctx;
    private final TreeMap<Integer, Worker> workers = new TreeMap<>();
    /** Replaced or discarded processes: draining, then stopping, then gone. */
    private final List<Worker> outgoing = new ArrayList<>();
    private AppSpec spec;
    private boolean desiredRunning;
    /** The app's public port for its whole life: a proxy, or the socket its workers share (listen: socket). */
    private PublicPort publicPort;
    /** A restart is waiting for the last old worker to be gone before it starts the new ones. */
    private boolean restartPending;
    private RollingReload reload;
    private int nextBackendKey = 1;
    /** cron_restart and watch: reloads nobody typed. */
    private final AppTriggers triggers = new AppTriggers(this);

    App(SupervisionLoop loop, AppContext ctx, AppSpec spec, boolean desiredRunning) {
        this.loop = loop;
        this.ctx = ctx;
        this.spec = spec;
        this.desiredRunning = desiredRunning;
        applyLogLimits();
        triggers.update(spec);
    }

    String name() { return spec.name(); }
    AppSpec spec() { return spec; }
    boolean desiredRunning() { return desiredRunning; }
    Collection<Worker> workers() { return workers.values(); }
    List<Worker> outgoing() { return outgoing; }
    /** The proxy of a listen: proxy app, else null. */
    PortListener listener() { return publicPort instanceof PortListener l ? l : null; }
    PublicPort publicPort() { return publicPort; }
    RollingReload reload() { return reload; }
    AppContext ctx() { return ctx; }
    SupervisionLoop loop() { return loop; }

    void replaceSpec(AppSpec next) {
        spec = next;
        applyLogLimits();
        triggers.update(next);
    }

    /** The app is deleted or the daemon stops: no more cron ticks or file watching. */
    void closeTriggers() {
        triggers.close();
    }

    private void applyLogLimits() {
        if (ctx.logs() != null) ctx.logs().limits(spec.name(), spec.logMaxBytes(), spec.logMaxFiles());
    }

    /** Hands over a listener opened by the caller before anything was changed (see ApplyPlan). */
    void adoptListener(PublicPort l) {
        if (publicPort != null && publicPort != l) publicPort.close();
        publicPort = l;
        updateRotation();
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
        if (!keepDesired) desiredRunning = false;
        restartPending = false;
        if (reload != null) reload.abort("the app is being stopped");
        for (var w : List.copyOf(workers.values())) stopWorker(w);
        closeListenerIfIdle();
    }

    /** The hard restart: stop every worker, then start them all again (the port stays open). */
    void restart() {
        loop.assertOnLoop();
        desiredRunning = true;
        if (reload != null) reload.abort("a restart was asked for");
        for (var w : workers.values()) if (w.state() instanceof WorkerState.Errored) w.resetCounters();
        restartPending = true;
        for (var w : List.copyOf(workers.values())) stopWorker(w);
        startIfRestartReady();
    }

    /** Begins a rolling reload; returns null, or why it cannot start. */
    String reload(AppSpec rollbackTo, java.util.function.Consumer<RollingReload.Outcome> whenDone) {
        loop.assertOnLoop();
        var refusal = reloadRefusal();
        if (refusal != null) return refusal;
        reload = new RollingReload(this, rollbackTo, outcome -> {
            reload = null;
            ctx.counters(spec.name()).reloaded(outcome.ok(), outcome.tookMs());
            whenDone.accept(outcome);
        });
        reload.begin();
        return null;
    }

    /** Why a reload cannot begin now, or null. Overlapping reloads are refused, never queued or merged. */
    String reloadRefusal() {
        if (!desiredRunning) return spec.name() + " is stopped; start it with 'zdm start " + spec.name() + "'";
        if (reload != null) {
            return spec.name() + " is already reloading (for " + (System.currentTimeMillis() - reload.startedAtMs())
                    + " ms); wait for it to finish ('zdm ls' shows its progress)";
        }
        if (restartPending) return spec.name() + " is restarting; reload it once the restart is done";
        return null;
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
            case WorkerState.Draining d -> false;
            case WorkerState.Stopping s -> false;
            default -> true;
        }) && !restartPending && reload == null && (!desiredRunning || workers.size() >= spec.instances());
    }

    boolean allStopped() {
        return outgoing.isEmpty() && workers.values().stream().allMatch(w -> !w.state().hasProcess()
                && !(w.state() instanceof WorkerState.WaitingRestart));
    }

    boolean hasErrored() {
        return workers.values().stream().anyMatch(w -> w.state() instanceof WorkerState.Errored);
    }

    // ---- worker lifecycle ----------------------------------------------------------------

    /** Spawns a process into {@code w} (a serving slot or a reload's candidate); false if it could not start. */
    boolean spawn(Worker w) {
        // Taken before the spawn: the worker's first lines may be read (and timestamped) before spawn() returns, and
        // a failed reload quotes the lines written since this moment.
        long launchedAt = System.currentTimeMillis();
        WorkerLaunch.Launched launched;
        try {
            launched = WorkerLaunch.start(spec, w.id, ctx, publicPort);
        } catch (IOException e) {
            ctx.event(spec.name(), w.id, "spawn-failed", e.getMessage());
            ctx.logs().note(spec.name(), "worker " + w.id + " could not be started: " + e.getMessage());
            if (isServing(w)) afterUnaskedExit(w, new ExitStatus(127, null), 0);
            return false;
        }
        var p = launched.process();
        long now = System.currentTimeMillis();
        int gen = w.spawned(p, launched.privatePort(), nextBackendKey++, launchedAt);
        w.moveTo(new WorkerState.Starting(p.pid(), now));
        persistSlot(w.id);
        ctx.event(spec.name(), w.id, "started", "pid " + p.pid());
        p.onExit().thenAccept(status -> loop.post(() -> onExit(w, gen, status)));
        ReadinessCheck.start(this, w, gen, launched.lineWatch(), launched.notifyWatch(), this::onReady, this::onNotReady);
        return true;
    }

    private boolean isServing(Worker w) {
        return workers.get(w.id) == w;
    }

    private void onReady(Worker w, int gen) {
        if (w.generation() != gen || !(w.state() instanceof WorkerState.Starting s)) return;
        long now = System.currentTimeMillis();
        w.moveTo(new WorkerState.Online(s.pid(), now));
        ctx.event(spec.name(), w.id, "online", "pid " + s.pid() + " ready after " + (now - s.sinceMs()) + " ms");
        LivenessCheck.start(this, w, gen);
        if (reload != null && reload.isCandidate(w)) {
            reload.candidateReady(w);
            return;
        }
        persistSlot(w.id);
        updateRotation();
    }

    /** The readiness deadline passed: kill the process; its exit then counts as an unstable crash. */
    private void onNotReady(Worker w, int gen, String why) {
        if (w.generation() != gen || !(w.state() instanceof WorkerState.Starting)) return;
        ctx.counters(spec.name()).readinessFailed();
        ctx.event(spec.name(), w.id, "not-ready", why);
        ctx.logs().note(spec.name(), "worker " + w.id + " " + why + "; killing it");
        if (reload != null && reload.isCandidate(w)) {
            reload.candidateFailed(w, why);
            return;
        }
        w.markFailedStart();
        var id = w.identity();
        Thread.ofVirtual().start(() -> ProcessTree.terminate(id, Signal.SIGKILL, Duration.ZERO));
    }

    /**
     * An online worker stopped answering its liveness probe: out of the rotation at once, then SIGKILL to
     * its tree (a stopped or hung process would not act on a polite signal). Its exit is an unasked
     * one, so the slot restarts through the usual backoff, as after a crash.
     */
    void onUnresponsive(Worker w, int gen, String why) {
        if (w.generation() != gen || !(w.state() instanceof WorkerState.Online)) return;
        ctx.event(spec.name(), w.id, "unresponsive", "pid " + w.state().pid() + " " + why + "; killing it");
        ctx.logs().note(spec.name(), "worker " + w.id + " " + why + "; killing it");
        w.markUnresponsive();
        updateRotation();
        var id = w.identity();
        Thread.ofVirtual().start(() -> ProcessTree.terminate(id, Signal.SIGKILL, Duration.ZERO));
    }

    private void onExit(Worker w, int gen, ExitStatus status) {
        if (w.generation() != gen) return; // news about a process this slot no longer runs
        if (reload != null && reload.isCandidate(w)) {
            reload.candidateFailed(w, "exited (" + status.describe() + ") before it was ready");
        }
        long uptime = w.failedStart() ? 0 : System.currentTimeMillis() - w.spawnedAtMs();
        var leftover = w.identity();
        w.exited(status);
        if (outgoing.contains(w)) {
            finishOutgoing(w, status);
            return;
        }
        switch (w.state()) {
            case WorkerState.Stopping s -> stoppedAsAsked(w, s.pid(), status);
            case WorkerState.Draining d -> stoppedAsAsked(w, d.pid(), status);
            case WorkerState.Starting s -> { reapLeftovers(leftover); afterUnaskedExit(w, status, uptime); }
            case WorkerState.Online o -> { reapLeftovers(leftover); afterUnaskedExit(w, status, uptime); }
            default -> ctx.logs().note(spec.name(), "worker " + w.id + " exited while " + w.state().label());
        }
        updateRotation();
    }

    private void stoppedAsAsked(Worker w, long pid, ExitStatus status) {
        w.moveTo(new WorkerState.Stopped());
        ctx.event(spec.name(), w.id, "stopped", "pid " + pid + " " + status.describe());
        if (w.retiring()) {
            workers.remove(w.id);
            ctx.forget(spec.name(), w);
        } else {
            persistSlot(w.id);
        }
        closeListenerIfIdle();
        startIfRestartReady();
    }

    private void finishOutgoing(Worker w, ExitStatus status) {
        long pid = w.state().pid();
        if (w.state().hasProcess()) w.moveTo(new WorkerState.Stopped());
        outgoing.remove(w);
        ctx.event(spec.name(), w.id, "stopped", "old pid " + pid + " " + status.describe());
        persistSlot(w.id);
        if (reload != null) reload.outgoingGone(w);
        closeListenerIfIdle();
    }

    private void startIfRestartReady() {
        if (restartPending && allStopped()) {
            restartPending = false;
            start();
        }
    }

    private void afterUnaskedExit(Worker w, ExitStatus status, long uptimeMs) {
        ctx.event(spec.name(), w.id, "exited", status.describe() + " after " + uptimeMs + " ms");
        boolean stopCode = status.code() != null && spec.stopExitCodes().contains(status.code());
        if (stopCode) ctx.event(spec.name(), w.id, "not restarted", "exit code " + status.code() + " is in stop_exit_codes");
        if (!desiredRunning || !spec.autorestart() || w.retiring() || stopCode) {
            w.moveTo(new WorkerState.Stopped());
            persistSlot(w.id);
            return;
        }
        switch (RestartPolicy.of(spec).decide(uptimeMs, w.unstableStreak())) {
            case RestartPolicy.Decision.RestartAfter r -> {
                w.countRestart(r.unstableStreak());
                ctx.counters(spec.name()).restarted(w.id);
                w.moveTo(new WorkerState.WaitingRestart(System.currentTimeMillis() + r.delayMs(), status));
                persistSlot(w.id);
                int gen = w.generation();
                loop.schedule(Duration.ofMillis(r.delayMs()), () -> {
                    if (w.generation() == gen && w.state() instanceof WorkerState.WaitingRestart && isServing(w)) {
                        ctx.event(spec.name(), w.id, "restarted", "after " + r.delayMs() + " ms backoff (restart " + w.restarts() + ")");
                        spawn(w);
                    }
                });
            }
            case RestartPolicy.Decision.GiveUp g -> {
                String why = g.unstableStreak() + " exits within min_uptime (" + spec.minUptimeMs() + " ms); not restarting";
                w.moveTo(new WorkerState.Errored(why));
                persistSlot(w.id);
                ctx.event(spec.name(), w.id, "errored", why);
                ctx.logs().note(spec.name(), "worker " + w.id + " errored: " + why);
            }
        }
    }

    private void stopWorker(Worker w) {
        switch (w.state()) {
            case WorkerState.Starting s -> StopSequence.begin(this, w);
            case WorkerState.Online o -> StopSequence.begin(this, w);
            case WorkerState.WaitingRestart r -> finishStopWithoutProcess(w);
            case WorkerState.Errored e -> finishStopWithoutProcess(w);
            case WorkerState.Stopped s -> { if (w.retiring()) { workers.remove(w.id); ctx.forget(spec.name(), w); } }
            case WorkerState.Draining d -> { /* already on its way */ }
            case WorkerState.Stopping s -> { /* already on its way */ }
        }
    }

    /** Takes a replaced worker out of its slot and drains it; its replacement takes the slot. */
    void replace(Worker old, Worker replacement) {
        replacement.inheritCounters(old);
        workers.put(replacement.id, replacement);
        if (old.state().hasProcess()) {
            outgoing.add(old);
            StopSequence.begin(this, old);
        }
        persistSlot(replacement.id);
        updateRotation();
    }

    /** A candidate that failed: out of any rotation, killed at once (it never served anyone). */
    void discard(Worker candidate) {
        if (!candidate.state().hasProcess()) return;
        outgoing.add(candidate);
        long pid = candidate.state().pid();
        candidate.moveTo(new WorkerState.Stopping(pid, System.currentTimeMillis()));
        persistSlot(candidate.id);
        var id = candidate.identity();
        Thread.ofVirtual().start(() -> ProcessTree.terminate(id, Signal.SIGKILL, Duration.ZERO));
    }

    private void finishStopWithoutProcess(Worker w) {
        w.moveTo(new WorkerState.Stopped());
        if (w.retiring()) {
            workers.remove(w.id);
            ctx.forget(spec.name(), w);
        } else {
            persistSlot(w.id);
        }
        startIfRestartReady();
    }

    /** A crashed worker's children (npm → sh → node) must not outlive it holding ports and files. */
    private void reapLeftovers(ProcessIdentity dead) {
        if (dead == null) return;
        var signal = Signal.parse(spec.stopSignal()).orElse(Signal.SIGTERM);
        var timeout = Duration.ofMillis(spec.killTimeoutMs());
        Thread.ofVirtual().start(() -> ProcessTree.terminate(dead, signal, timeout));
    }

    /** Records the slot's serving worker and its second process (a replacement or an old one), if any. */
    void persistSlot(int id) {
        var serving = workers.get(id);
        ProcessIdentity other = null;
        if (reload != null) {
            var c = reload.candidateOf(id);
            if (c != null && c.state().hasProcess() && c != serving) other = c.identity();
        }
        for (var o : outgoing) if (o.id == id && o.state().hasProcess() && o != serving) other = o.identity();
        if (serving != null) ctx.persist(spec.name(), serving, other);
    }

    void updateRotation() {
        if (!(publicPort instanceof PortListener listener)) return; // a shared socket has no rotation: workers accept
        var ready = new ArrayList<Backend>();
        for (var w : workers.values()) {
            if (w.state() instanceof WorkerState.Online && !w.unresponsive() && !w.announcedStop()) {
                ready.add(new Backend(w.backendKey(), w.privatePort()));
            }
        }
        listener.setBackends(ready);
    }

    private void closeListenerIfIdle() {
        if (publicPort != null && !desiredRunning && allStopped()) {
            publicPort.close();
            publicPort = null;
        }
    }

    /** Closes the port immediately; for delete and daemon shutdown after the workers are gone. */
    void closeListener() {
        if (publicPort != null) {
            publicPort.close();
            publicPort = null;
        }
    }
}
