package zdm.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import zdm.config.AppSpec;
import zdm.config.LogFiles;
import zdm.log.DaemonLog;
import zdm.net.Backend;
import zdm.net.PortListener;
import zdm.net.PublicPort;
import zdm.proc.AppLogs;
import zdm.proc.ProcessIdentity;
import zdm.proc.Signal;

/**
 * One app's cluster: its worker slots, its daemon-owned port, and what happens when a worker
 * starts, becomes ready, exits or is stopped. Besides the serving worker of each slot there may be
 * a candidate being started by a {@link RollingReload} and old processes on their way out
 * ({@code outgoing}); each {@link Worker} knows its {@link Worker.Role}. Confined to the
 * {@link SupervisionLoop}; everything outside (processes, probes, time) goes through the {@link Host}.
 *
 * <p>Whatever one app does cannot take the others down: a spawn that fails is a failed start of that
 * worker, and an unexpected exception while handling the app ({@link #guard}) marks the app errored.
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
        configureLogs(ctx.logs(), spec);
    }

    /** The app's log rotation limits and the files the user named for its output (also for Restore's leftovers). */
    static void configureLogs(AppLogs logs, AppSpec spec) {
        if (logs == null) return;
        logs.limits(spec.name(), spec.logs().logMaxBytes(), spec.logs().logMaxFiles());
        var files = spec.logs().logFiles();
        logs.keep(spec.name(), files == null || !files.disabled());
        if (files == null) {
            logs.copies(spec.name(), null, null, null, true, null);
            return;
        }
        Path combined = files.combined() == null ? null
                : files.combined().equals(LogFiles.IN_ZDM_LOGS) ? logs.defaultCombined(spec.name())
                : Path.of(files.combined());
        logs.copies(spec.name(), files.out() == null ? null : Path.of(files.out()),
                files.err() == null ? null : Path.of(files.err()), combined, files.merge(), files.dateFormat(),
                files.json());
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

    /**
     * A bug (or a surprise of the OS) while handling this app: every worker of it is errored with the message, its
     * processes are stopped, a running reload ends as failed, and the stack trace goes to daemon.log. The other apps
     * and the loop go on.
     */
    void failed(RuntimeException e) {
        String why = "internal error: " + e;
        DaemonLog.error(spec.name() + ": " + why + "; the app is errored", e);
        ctx.event(spec.name(), null, "errored", why + " (stack trace in daemon.log)");
        restartPending = false;
        var all = new ArrayList<>(workers.values());
        all.addAll(outgoing);
        if (reload != null) all.addAll(reload.candidates());
        outgoing.clear();
        for (var w : all) {
            var id = w.state().hasProcess() ? w.identity() : null;
            w.forceErrored(why);
            if (id != null) {
                try {
                    host.terminate(id, stopSignal(), Duration.ofMillis(spec.process().killTimeoutMs()));
                } catch (RuntimeException again) {
                    DaemonLog.error(spec.name() + ": cannot stop pid " + id.pid(), again);
                }
            }
        }
        var running = reload;
        reload = null;
        if (running != null) running.abandon(why);
        for (var w : workers.values()) {
            try {
                persistSlot(w.id);
            } catch (RuntimeException ignored) {
                // best effort: the state in memory is what the daemon answers with
            }
        }
        try {
            updateRotation();
        } catch (RuntimeException ignored) {
            // the rotation keeps what it had; errored workers get no new connections once it works again
        }
    }

    // ---- commands -------------------------------------------------------------------------

    /** Wants every slot 0..instances-1 running; forgives errored slots and runs finished jobs again. */
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
        memoryWatch.arm();
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

    /** Spawns a process into {@code w} (a serving slot or a candidate); returns null, or why it could not start. */
    String spawn(Worker w) {
        // Taken before the spawn: the worker's first lines may be read (and timestamped) before spawn() returns, and
        // a failed reload quotes the lines written since this moment.
        long launchedAtWall = host.wallMs();
        long launchedAt = host.nowMs();
        WorkerLaunch.Launched launched;
        try {
            launched = host.spawn(spec, w.id, ctx, publicPort);
        } catch (IOException | RuntimeException e) {
            // Not a bug of ours: a program that is missing, a cwd that was deleted, an argument the OS refuses.
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            ctx.event(spec.name(), w.id, "spawn-failed", why);
            ctx.logs().note(spec.name(), "worker " + w.id + " could not be started: " + why);
            if (w.role() == Worker.Role.SERVING && isServing(w)) WorkerExits.afterFailedSpawn(this, w, why);
            return why;
        }
        var p = launched.process();
        int gen = w.spawned(p, launched.privatePort(), nextBackendKey++, launchedAt, launchedAtWall);
        w.socket(launched.socket());
        w.moveTo(new WorkerState.Starting(p.pid(), host.nowMs()));
        persistSlot(w.id);
        ctx.event(spec.name(), w.id, "started", "pid " + p.pid());
        p.onExit().thenAccept(status -> post(() -> WorkerExits.onExit(this, w, gen, status)));
        if (launched.readyFile() != null) p.onExit().thenRunAsync(() -> deleteReadyFile(launched.readyFile())); // off the reaper
        if (launched.listenRequest() != null) p.onExit().thenRunAsync(() -> deleteReadyFile(launched.listenRequest()));
        ReadinessCheck.start(this, w, gen, launched, this::onReady, this::onNotReady);
        return null;
    }

    /** A ready file the worker created too late (after listen_timeout) is not left behind. */
    private static void deleteReadyFile(Path readyFile) {
        try {
            Files.deleteIfExists(readyFile);
        } catch (IOException ignored) {
            // best effort: an empty file in the daemon's private notify directory
        }
    }

    boolean isServing(Worker w) {
        return workers.get(w.id) == w;
    }

    private void onReady(Worker w, int gen) {
        // A worker refused once (not ready, or a port it cannot have) is being stopped: a later verdict changes nothing.
        if (w.generation() != gen || !(w.state() instanceof WorkerState.Starting s) || w.failedStart()) return;
        long now = host.nowMs();
        w.moveTo(new WorkerState.Online(s.pid(), now));
        ctx.event(spec.name(), w.id, "online", "pid " + s.pid() + " ready after " + (now - s.sinceMs()) + " ms");
        LivenessCheck.start(this, w, gen);
        persistSlot(w.id);
        updateRotation();
        if (w.role() == Worker.Role.CANDIDATE && reload != null) reload.candidateReady(w);
    }

    /**
     * The readiness deadline passed: the worker gets its stop signal, then SIGKILL after kill_timeout (it may be busy
     * starting, and deserves the same chance to clean up as any other); its exit counts as an unstable crash.
     */
    void onNotReady(Worker w, int gen, String why) {
        if (w.generation() != gen || !(w.state() instanceof WorkerState.Starting)) return;
        ctx.counters(spec.name()).readinessFailed();
        ctx.event(spec.name(), w.id, "not-ready", why + "; sending " + stopSignal() + ", SIGKILL after kill_timeout "
                + spec.process().killTimeoutMs() + " ms");
        ctx.logs().note(spec.name(), "worker " + w.id + " " + why + "; stopping it");
        if (w.role() == Worker.Role.CANDIDATE && reload != null) {
            reload.candidateFailed(w, why);
            return;
        }
        w.markFailedStart();
        StopSequence.signalOnly(this, w);
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
        host.terminate(w.identity(), Signal.SIGKILL, Duration.ZERO);
    }

    /** A worker of a port-learning app listens on a port it has no shared socket for (see {@link PortLearning}). */
    void onListenRequest(Worker w, int gen, String request) {
        PortLearning.onRequest(this, w, gen, request);
    }

    /** Whether a worker being stopped for a relaunch ({@link Worker#markRelaunching}) is started again now. */
    boolean relaunchWanted(Worker w) {
        return w.relaunching() && desiredRunning && !restartPending && !w.retiring() && isServing(w)
                && publicPort instanceof zdm.net.SharedSocket;
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

    private void stopWorker(Worker w) {
        switch (w.state()) {
            case WorkerState.Starting s -> StopSequence.begin(this, w);
            case WorkerState.Online o -> StopSequence.begin(this, w);
            case WorkerState.WaitingRestart r -> finishStopWithoutProcess(w);
            case WorkerState.Errored e -> finishStopWithoutProcess(w);
            case WorkerState.Stopped s -> { if (w.retiring()) forgetRetired(w); }
            case WorkerState.Draining d -> { /* already on its way */ }
            case WorkerState.Stopping s -> { /* already on its way */ }
        }
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

    private void finishStopWithoutProcess(Worker w) {
        w.moveTo(new WorkerState.Stopped());
        if (w.retiring()) {
            forgetRetired(w);
        } else {
            persistSlot(w.id);
        }
        startIfRestartReady();
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
