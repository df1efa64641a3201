package zdm.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a worker's start goes: the spawn into its slot (or as a reload's candidate), then the readiness
 * verdict, online (into the rotation) or not ready (stopped, an unstable start). Kept apart from
 * {@link App}, which decides when a worker starts, as {@link WorkerExits} is for what its exit leads to.
 * Runs on the loop, for {@link App}.
 */
final class WorkerStarts {
    private WorkerStarts() {}

    /** Spawns a process into {@code w} (a serving slot or a candidate); returns null, or why it could not start. */
    static String spawn(App app, Worker w) {
        var spec = app.spec();
        var host = app.host();
        var ctx = app.ctx();
        // Taken before the spawn: the worker's first lines may be read (and timestamped) before spawn() returns, and
        // a failed reload quotes the lines written since this moment.
        long launchedAtWall = host.wallMs();
        long launchedAt = host.nowMs();
        WorkerLaunch.Launched launched;
        try {
            launched = host.spawn(spec, w.id, ctx, app.publicPort());
        } catch (IOException | RuntimeException e) {
            // Not a bug of ours: a program that is missing, a cwd that was deleted, an argument the OS refuses.
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            ctx.event(spec.name(), w.id, "spawn-failed", why);
            ctx.logs().note(spec.name(), "worker " + w.id + " could not be started: " + why);
            if (w.role() == Worker.Role.SERVING && app.isServing(w)) WorkerExits.afterFailedSpawn(app, w, why);
            return why;
        }
        var p = launched.process();
        int gen = w.spawned(p, launched.privatePort(), app.takeBackendKey(), launchedAt, launchedAtWall);
        w.socket(launched.socket());
        w.moveTo(new WorkerState.Starting(p.pid(), host.nowMs()));
        SlotHandover.persist(app, w.id);
        ctx.event(spec.name(), w.id, "started", "pid " + p.pid());
        p.onExit().thenAccept(status -> app.post(() -> WorkerExits.onExit(app, w, gen, status)));
        if (launched.readyFile() != null) p.onExit().thenRunAsync(() -> deleteReadyFile(launched.readyFile())); // off the reaper
        if (launched.listenRequest() != null) p.onExit().thenRunAsync(() -> deleteReadyFile(launched.listenRequest()));
        ReadinessCheck.start(app, w, gen, launched, (ready, g) -> onReady(app, ready, g),
                (notReady, g, why) -> onNotReady(app, notReady, g, why));
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

    private static void onReady(App app, Worker w, int gen) {
        // A worker refused once (not ready, or a port it cannot have) is being stopped: a later verdict changes nothing.
        if (w.generation() != gen || !(w.state() instanceof WorkerState.Starting s) || w.failedStart()) return;
        long now = app.host().nowMs();
        w.moveTo(new WorkerState.Online(s.pid(), now));
        app.ctx().event(app.name(), w.id, "online", "pid " + s.pid() + " ready after " + (now - s.sinceMs()) + " ms");
        LivenessCheck.start(app, w, gen);
        SlotHandover.persist(app, w.id);
        app.updateRotation();
        if (w.role() == Worker.Role.CANDIDATE && app.reload() != null) app.reload().candidateReady(w);
    }

    /**
     * The readiness deadline passed: the worker gets its stop signal, then SIGKILL after kill_timeout (it may be busy
     * starting, and deserves the same chance to clean up as any other); its exit counts as an unstable crash.
     */
    static void onNotReady(App app, Worker w, int gen, String why) {
        if (w.generation() != gen || !(w.state() instanceof WorkerState.Starting)) return;
        var spec = app.spec();
        app.ctx().counters(spec.name()).readinessFailed();
        app.ctx().event(spec.name(), w.id, "not-ready", why + "; sending " + app.stopSignal()
                + ", SIGKILL after kill_timeout " + spec.process().killTimeoutMs() + " ms");
        app.ctx().logs().note(spec.name(), "worker " + w.id + " " + why + "; stopping it");
        if (w.role() == Worker.Role.CANDIDATE && app.reload() != null) {
            app.reload().candidateFailed(w, why);
            return;
        }
        w.markFailedStart();
        StopSequence.signalOnly(app, w);
    }
}
