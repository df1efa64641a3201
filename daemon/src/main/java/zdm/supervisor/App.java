package zdm.supervisor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import zdm.config.AppSpec;
import zdm.net.Backend;
import zdm.net.PortListener;
import zdm.net.PublicPort;
import zdm.net.SharedSocket;
import zdm.proc.ProcessIdentity;
import zdm.proc.Signal;

/**
 * One app's cluster: its worker slots, its daemon-owned port, its wanted state, and the commands
 * that change them (start, stop, restart, reload, scale). Besides the serving worker of each slot
 * there may be a candidate being started by a {@link RollingReload} and old processes on their way
 * out ({@code outgoing}); each {@link Worker} knows its {@link Worker.Role}. What happens to one
 * worker is in classes of its own that work on this state: its start and readiness
 * ({@link WorkerStarts}), its exit ({@link WorkerExits}), its stop ({@link StopSequence}). Confined
 * to the {@link SupervisionLoop}; everything outside (processes, probes, time) goes through the
 * {@link Host}.
 *
 * <p>Whatever one app does cannot take the others down: a spawn that fails is a failed start of that
 * worker, and an unexpected exception while handling the app ({@link #guard}) marks the app errored
 * ({@link AppFailure}).
 */
final class App {
    private final SupervisionLoop loop;
    private final AppContext ctx;
    private final Host host;
    private final TreeMap<Integer, Worker> workers = new TreeMap<>();
    /** Replaced or discarded processes (role OUTGOING): draining, then stopping, then gone. */
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
    private final MemoryWatch memoryWatch;

    App(SupervisionLoop loop, AppContext ctx, Host host, AppSpec spec, boolean desiredRunning) {
        this.loop = loop;
        this.ctx = ctx;
        this.host = host;
        this.spec = spec;
        this.desiredRunning = desiredRunning;
        this.memoryWatch = new MemoryWatch(this);
        applyLogLimits();
        triggers.update(spec);
    }

    String name() { return spec.name(); }
    AppSpec spec() { return spec; }
    boolean desiredRunning() { return desiredRunning; }
    Collection<Worker> workers() { return workers.values(); }
    Worker serving(int id) { return workers.get(id); }
    List<Worker> outgoing() { return outgoing; }
    /** The proxy of a listen: proxy app, else null. */
    PortListener listener() { return publicPort instanceof PortListener l ? l : null; }
    PublicPort publicPort() { return publicPort; }
    RollingReload reload() { return reload; }
    /** A key no other process of this app had, so the proxy never mixes a replaced worker's connections with its successor's. */
    int takeBackendKey() { return nextBackendKey++; }
    AppContext ctx() { return ctx; }
    SupervisionLoop loop() { return loop; }
    Host host() { return host; }

    void replaceSpec(AppSpec next) {
        spec = next;
        applyLogLimits();
        triggers.update(next);
        if (desiredRunning) memoryWatch.arm(); // a changed file may have set max_memory_restart
    }

    /** The app is deleted or the daemon stops: no more cron ticks or file watching. */
    void closeTriggers() {
        triggers.close();
    }

    private void applyLogLimits() {
        AppLogSettings.apply(ctx.logs(), spec);
    }

    /** Hands over a listener opened by the caller before anything was changed (see ApplyPlan). */
    void adoptListener(PublicPort l) {
        if (publicPort != null && publicPort != l) publicPort.close();
        publicPort = l;
        updateRotation();
    }

    // ---- running tasks for this app ---------------------------------------------------------

    /** Runs {@code task} (on the loop) so that an unexpected exception marks this app errored instead of escaping. */
    void guard(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** Posts {@code task} to the loop, guarded. */
    void post(Runnable task) {
        loop.post(() -> guard(task));
    }

    /** Runs {@code task} on the loop after {@code delay} of the host's clock, guarded. */
    void schedule(Duration delay, Runnable task) {
        host.schedule(delay, () -> guard(task));
    }

    /** A bug (or a surprise of the OS) while handling this app: see {@link AppFailure}. */
    void failed(RuntimeException e) {
        AppFailure.fail(this, e);
    }

    /** Every worker of the app: the serving ones, the outgoing ones and a running reload's candidates. */
    List<Worker> allWorkers() {
        var all = new ArrayList<>(workers.values());
        all.addAll(outgoing);
        if (reload != null) all.addAll(reload.candidates());
        return all;
    }

    /**
     * Forgets what the app was in the middle of, after an internal error: a pending restart, the outgoing
     * processes, the running reload. Returns that reload (or null), for the caller to end as failed.
     */
    RollingReload dropWorkInProgress() {
        restartPending = false;
        outgoing.clear();
        var running = reload;
        reload = null;
        return running;
    }

    // ---- commands -------------------------------------------------------------------------

    /** Wants every slot 0..instances-1 running; forgives errored slots and runs finished jobs again. */
    void start() {
        loop.assertOnLoop();
        desiredRunning = true;
        for (int id = 0; id < spec.instances(); id++) {
            var w = workers.computeIfAbsent(id, Worker::new);
            switch (w.state()) {
                case WorkerState.Stopped s -> { w.resetCounters(); WorkerStarts.spawn(this, w); }
                case WorkerState.Errored e -> { w.resetCounters(); WorkerStarts.spawn(this, w); }
                default -> { /* already running, starting, stopping or about to restart */ }
            }
        }
        memoryWatch.arm();
    }

    /** Stops every worker. {@code keepDesired} is false for `zdm stop`, true for restart and shutdown. */
    void stop(boolean keepDesired) {
        loop.assertOnLoop();
        if (!keepDesired) desiredRunning = false;
        restartPending = false;
        if (reload != null) reload.abort("the app is being stopped");
        for (var w : List.copyOf(workers.values())) StopSequence.stop(this, w);
        closeListenerIfIdle();
    }

    /** The hard restart: stop every worker, then start them all again (the port stays open). */
    void restart() {
        loop.assertOnLoop();
        desiredRunning = true;
        if (reload != null) reload.abort("a restart was asked for");
        for (var w : workers.values()) if (w.state() instanceof WorkerState.Errored) w.resetCounters();
        restartPending = true;
        for (var w : List.copyOf(workers.values())) StopSequence.stop(this, w);
        startIfRestartReady();
    }

    /** Begins a rolling reload of every slot; returns null, or why it cannot start. */
    String reload(AppSpec rollbackTo, Consumer<RollingReload.Outcome> whenDone) {
        loop.assertOnLoop();
        var refusal = reloadRefusal();
        if (refusal != null) return refusal;
        var slots = workers.values().stream().filter(w -> !w.retiring()).map(w -> w.id).toList();
        begin(new RollingReload(this, rollbackTo, slots, "reload"), whenDone);
        return null;
    }

    /** Replaces one worker without downtime (its replacement first, then it drains): the memory limit's remedy. */
    void replaceWorker(int id, Consumer<RollingReload.Outcome> whenDone) {
        begin(new RollingReload(this, null, List.of(id), "replace"), whenDone);
    }

    private void begin(RollingReload r, Consumer<RollingReload.Outcome> whenDone) {
        reload = r;
        r.begin(outcome -> {
            if (reload == r) reload = null;
            ctx.counters(spec.name()).reloaded(outcome.ok(), outcome.tookMs());
            whenDone.accept(outcome);
        });
    }

    /** Why a reload cannot begin now, or null. Overlapping reloads are refused, never queued or merged. */
    String reloadRefusal() {
        if (!desiredRunning) return spec.name() + " is stopped; start it with 'zdm start " + spec.name() + "'";
        if (reload != null) {
            return spec.name() + " is already " + (reload.isReload() ? "reloading" : "replacing a worker") + " (for "
                    + (host.nowMs() - reload.startedAtMs()) + " ms); wait for it to finish ('zdm ls' shows its progress)";
        }
        if (restartPending) return spec.name() + " is restarting; reload it once the restart is done";
        return null;
    }

    /** A one-shot app whose every worker finished (exit 0, autorestart off): nothing to reload. */
    boolean finishedJob() {
        return !spec.restart().autorestart() && !workers.isEmpty() && workers.values().stream().allMatch(Worker::completed);
    }

    /** Scale to {@code n} workers: new slots start, the highest ids are drained and removed. */
    void scale(int n) {
        loop.assertOnLoop();
        spec = spec.withInstances(n);
        for (var w : List.copyOf(workers.values())) {
            if (w.id >= n) {
                w.retire();
                StopSequence.stop(this, w);
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

    boolean isServing(Worker w) {
        return workers.get(w.id) == w;
    }

    /** Whether a worker being stopped for a relaunch ({@link Worker#markRelaunching}) is started again now. */
    boolean relaunchWanted(Worker w) {
        return w.relaunching() && desiredRunning && !restartPending && !w.retiring() && isServing(w)
                && publicPort instanceof SharedSocket;
    }

    /** A pending restart starts once the last old worker is gone. */
    void startIfRestartReady() {
        if (restartPending && allStopped()) {
            restartPending = false;
            start();
        }
    }

    /** A retiring worker (scaled down, or its app deleted) is gone: its slot goes with it. */
    void forgetRetired(Worker w) {
        workers.remove(w.id);
        ctx.forget(spec.name(), w);
    }

    /** The candidate takes the slot (and the rotation); the old worker leaves as outgoing, draining first. */
    void replace(Worker old, Worker replacement) {
        replacement.inheritCounters(old);
        replacement.becomes(Worker.Role.SERVING);
        workers.put(replacement.id, replacement);
        old.becomes(Worker.Role.OUTGOING);
        if (old.state().hasProcess()) {
            outgoing.add(old);
            StopSequence.begin(this, old);
        }
        persistSlot(replacement.id);
        updateRotation();
    }

    /** A candidate that failed or is no longer wanted: outgoing, stopped like any worker (drain, signal, SIGKILL). */
    void discard(Worker candidate) {
        candidate.becomes(Worker.Role.OUTGOING);
        if (!candidate.state().hasProcess()) return;
        outgoing.add(candidate);
        StopSequence.begin(this, candidate);
        persistSlot(candidate.id);
    }

    Signal stopSignal() {
        return spec.process().stopSignal();
    }

    /** Records the slot's serving worker and its second process (a candidate or an old one), if any. */
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

    /** The proxy's rotation: every online serving worker, and candidates that are online (in their stability window). */
    void updateRotation() {
        if (!(publicPort instanceof PortListener listener)) return; // a shared socket has no rotation: workers accept
        var ready = new ArrayList<Backend>();
        var all = new ArrayList<>(workers.values());
        if (reload != null) all.addAll(reload.candidates());
        for (var w : all) {
            if (w.state() instanceof WorkerState.Online && !w.unresponsive() && !w.announcedStop()) {
                ready.add(new Backend(w.backendKey(), w.privatePort()));
            }
        }
        listener.setBackends(ready);
    }

    void closeListenerIfIdle() {
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
