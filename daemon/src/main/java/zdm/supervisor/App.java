package zdm.supervisor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import zdm.config.AppSpec;
import zdm.net.PortListener;
import zdm.net.PublicPort;
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
    private final AppPort port = new AppPort();
    /** A restart is waiting for the last old worker to be gone before it starts the new ones. */
    private boolean restartPending;
    private RollingReload reload;
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
    /** A restart is waiting for the last old worker to be gone. */
    boolean restartPending() { return restartPending; }
    Collection<Worker> workers() { return workers.values(); }
    Worker serving(int id) { return workers.get(id); }
    List<Worker> outgoing() { return outgoing; }
    /** The proxy of a listen: proxy app, else null. */
    PortListener listener() { return port.listener(); }
    PublicPort publicPort() { return port.get(); }
    RollingReload reload() { return reload; }
    int takeBackendKey() { return port.takeBackendKey(); }
    AppContext ctx() { return ctx; }
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
        port.adopt(l);
        updateRotation();
    }

    // ---- running tasks for this app ---------------------------------------------------------

    /** Runs {@code task} (on the loop) so that an unexpected exception marks this app errored instead of escaping. */
    void guard(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            AppFailure.fail(this, e);
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
        restartPending = true;
        for (var w : List.copyOf(workers.values())) StopSequence.stop(this, w);
        startIfRestartReady();
    }

    /** Begins a rolling reload of every slot; returns null, or why it cannot start. */
    String reload(AppSpec rollbackTo, Consumer<RollingReload.Outcome> whenDone) {
        loop.assertOnLoop();
        var refusal = AppConditions.reloadRefusal(this);
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

    // ---- worker lifecycle ----------------------------------------------------------------

    boolean isServing(Worker w) {
        return workers.get(w.id) == w;
    }

    /** A pending restart starts once the last old worker is gone. */
    void startIfRestartReady() {
        if (restartPending && AppConditions.allStopped(this)) {
            restartPending = false;
            start();
        }
    }

    /**
     * A retiring worker (scaled down, or its app deleted) is gone: its slot goes with it, unless the app was scaled
     * back up while it stopped ({@link #start} found the slot still taken by it then): the slot starts afresh now.
     */
    void forgetRetired(Worker w) {
        workers.remove(w.id);
        ctx.forget(spec.name(), w);
        if (desiredRunning && !restartPending && w.id < spec.instances()) WorkerStarts.spawn(this, workers.computeIfAbsent(w.id, Worker::new));
    }

    /** The replacement takes its slot: see {@link SlotHandover#replace}. */
    void putServing(Worker replacement) {
        workers.put(replacement.id, replacement);
    }

    Signal stopSignal() {
        return spec.process().stopSignal();
    }

    /** The proxy's rotation: every online serving worker, and candidates that are online (in their stability window). */
    void updateRotation() {
        port.rotate(workers.values(), reload);
    }

    void closeListenerIfIdle() {
        if (port.get() != null && !desiredRunning && AppConditions.allStopped(this)) port.close();
    }

    /** Closes the port immediately; for delete and daemon shutdown after the workers are gone. */
    void closeListener() {
        port.close();
    }
}
