package zdm.supervisor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import zdm.config.AppSpec;
import zdm.daemon.DaemonLog;
import zdm.proc.AppLogs;
import zdm.proc.ResourceSampler;
import zdm.protocol.AppDetail;
import zdm.protocol.AppView;
import zdm.protocol.ErrorKind;
import zdm.protocol.Paths;
import zdm.protocol.Response;
import zdm.store.Store;
import zdm.store.WorkerRecord;

/**
 * The registry of apps and the entry point for every operation a client can ask for. Public
 * methods are called from request threads; they hop onto the {@link SupervisionLoop} for every
 * read or change of state and wait off the loop. A change of desired state is committed to the
 * store before the operation acts, so an acknowledged request survives a daemon crash.
 */
public final class Supervisor implements AppContext {
    private final Store store;
    private final AppLogs logs;
    private final ResourceSampler sampler;
    private final SupervisionLoop loop;
    private final Paths paths;
    private final zdm.proc.OutputCapture capture;
    private final Map<String, App> apps = new LinkedHashMap<>(); // loop only; registration order
    private final List<Consumer<String>> progressListeners = new CopyOnWriteArrayList<>();
    /** Per app, for the metrics endpoint; kept across stop/start, dropped by delete. */
    private final Map<String, zdm.metrics.AppCounters> counters = new java.util.concurrent.ConcurrentHashMap<>();
    /** Once a shutdown kept socket-mode workers, later shutdown calls (the daemon's exit path) keep them too. */
    private volatile boolean keptWorkers;

    public Supervisor(Paths paths, Store store, AppLogs logs, zdm.proc.OutputCapture capture, ResourceSampler sampler,
                      SupervisionLoop loop) {
        this(paths, store, logs, capture, sampler, loop, new OsHost(loop, sampler));
    }

    /** With another {@link Host}: the supervisor tests' fake processes and clock. */
    Supervisor(Paths paths, Store store, AppLogs logs, zdm.proc.OutputCapture capture, ResourceSampler sampler,
               SupervisionLoop loop, Host host) {
        this.paths = paths;
        this.capture = capture;
        this.store = store;
        this.bookkeeping = new Bookkeeping(store);
        this.logs = logs;
        this.sampler = sampler;
        this.loop = loop;
        this.host = host;
    }

    private final Host host;

    Host host() { return host; }

    /** Worker records and events: best effort, so that a full or read-only disk never stops supervision. */
    private final Bookkeeping bookkeeping;
    /** Where NOTIFY_SOCKETs are bound; prepared on first use (loop only). */
    private NotifyDir notifyDir;

    SupervisionLoop loop() { return loop; }
    Store store() { return store; }

    /** The store, for reading the events table (zdm events). */
    public Store eventStore() { return store; }
    Map<String, App> apps() { return apps; }

    // ---- AppContext (loop only) ---------------------------------------------------------

    @Override public AppLogs logs() { return logs; }

    @Override public zdm.proc.OutputCapture capture() { return capture; }

    @Override
    public java.nio.file.Path notifyDir() throws java.io.IOException {
        if (notifyDir == null) notifyDir = NotifyDir.prepare(paths.home(), System.getenv("XDG_RUNTIME_DIR"));
        return notifyDir.path();
    }

    @Override
    public java.nio.file.Path home() {
        return paths.home();
    }

    @Override
    public java.nio.file.Path nodePreload() throws java.io.IOException {
        return zdm.proc.NodePreload.install(paths.home());
    }

    @Override
    public void event(String app, Integer worker, String kind, String detail) {
        long now = System.currentTimeMillis();
        bookkeeping.write(() -> store.addEvent(now, app, worker, kind, detail, null));
        String line = app + (worker == null ? "" : "[" + worker + "]") + " " + kind + (detail == null ? "" : ": " + detail);
        DaemonLog.info(line);
        for (var l : progressListeners) l.accept(line);
    }

    /** An event caused by a client, with the uid that asked. */
    void requested(String app, String kind, String detail, int uid) {
        long now = System.currentTimeMillis();
        bookkeeping.write(() -> store.addEvent(now, app, null, kind, detail, uid));
        DaemonLog.info(app + " " + kind + (detail == null ? "" : ": " + detail) + " (uid " + uid + ")");
    }

    @Override
    public void persist(String app, Worker w, zdm.proc.ProcessIdentity other) {
        var exit = w.lastExit();
        var record = new WorkerRecord(app, w.id, w.state().pid(),
                w.state().hasProcess() && w.identity() != null ? w.identity().startTimeMs() : 0,
                w.state().label(), w.restarts(), exit == null ? null : exit.code(),
                exit == null || exit.signal() == null ? null : exit.signal().name(),
                other == null ? 0 : other.pid(), other == null ? 0 : other.startTimeMs());
        bookkeeping.write(() -> store.putWorker(record));
    }

    @Override
    public void saveSpec(AppSpec spec) {
        var app = apps.get(spec.name());
        store.putApp(spec, app == null || app.desiredRunning());
    }

    @Override
    public void rememberPort(String app, zdm.net.ListenAddress where) {
        bookkeeping.write(() -> store.rememberPort(app, where));
    }

    @Override
    public zdm.metrics.AppCounters counters(String app) {
        return counters.computeIfAbsent(app, n -> new zdm.metrics.AppCounters());
    }

    @Override
    public void forget(String app, Worker w) {
        bookkeeping.write(() -> store.deleteWorker(app, w.id));
        sampler.forget(w.state().pid());
    }

    public List<String> appNames() {
        return loop.call(() -> List.copyOf(apps.keySet())).join();
    }

    // ---- queries ---------------------------------------------------------------------------

    public Response list() {
        var views = loop.call(() -> apps.values().stream().map(Views::snapshot).toList()).join();
        return new Response.Apps(views.stream().map(v -> Views.withResources(v, sampler)).toList(), null);
    }

    public Response describe(String name) {
        return describe(name, false);
    }

    /** Secret-looking env values are masked in the daemon ({@link SpecViews}), unless {@code showSecrets}. */
    public Response describe(String name, boolean showSecrets) {
        var app = loop.call(() -> apps.get(name)).join();
        if (app == null) return notFound(name);
        var view = loop.call(() -> Views.snapshot(app)).join();
        var spec = loop.call(app::spec).join();
        var wallNow = java.time.ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(host.wallMs()),
                java.time.ZoneId.systemDefault());
        return new Response.Described(new AppDetail(Views.withResources(view, sampler),
                SpecViews.of(spec, showSecrets, paths.outLog(name), wallNow),
                paths.outLog(name).toString(), paths.errLog(name).toString(), store.events(name, 20)));
    }

    /** Empties the log files of the target's apps; recorded as a "flushed" event with the uid that asked. */
    public Response flush(String target, int uid) {
        var names = loop.call(() -> resolve(target)).join();
        if (names == null) return notFound(target);
        var failed = new ArrayList<String>();
        for (var n : names) {
            try {
                logs.flush(n);
                requested(n, "flushed", null, uid);
            } catch (java.io.IOException e) {
                failed.add(n + ": " + e.getMessage());
            }
        }
        if (!failed.isEmpty()) return Response.Failed.of(ErrorKind.FAILED, "cannot flush logs of " + String.join("; ", failed));
        return new Response.Done(names.isEmpty() ? "no apps to flush" : "flushed the logs of " + String.join(", ", names));
    }

    /**
     * Every app for a metrics scrape: serving workers and counters from the loop, then CPU and
     * memory from /proc off the loop.
     */
    public List<zdm.metrics.AppSample> metrics() {
        record Slot(int id, String state, long pid) {}
        record Raw(String name, int desired, int ready, List<Slot> slots) {}
        var raw = loop.call(() -> apps.values().stream().map(a -> new Raw(a.name(),
                a.desiredRunning() ? a.spec().instances() : 0,
                (int) a.workers().stream().filter(w -> w.state() instanceof WorkerState.Online).count(),
                a.workers().stream().map(w -> new Slot(w.id, w.state().label(), w.state().pid())).toList())).toList()).join();
        var out = new ArrayList<zdm.metrics.AppSample>();
        for (var a : raw) {
            var c = counters(a.name());
            var workers = a.slots().stream().map(s -> {
                var u = s.pid() == 0 ? new ResourceSampler.Usage(-1, -1) : sampler.usage(s.pid());
                return new zdm.metrics.AppSample.WorkerSample(s.id(), s.state(), s.pid(), c.restarts(s.id()),
                        u.cpuSeconds(), u.rssBytes());
            }).toList();
            out.add(new zdm.metrics.AppSample(a.name(), a.desired(), a.ready(), workers, c));
        }
        return out;
    }

    /** Names of the registered apps that came from {@code source} (an ecosystem file's absolute path). */
    public List<String> appsFrom(String source) {
        return loop.call(() -> apps.values().stream().filter(a -> source.equals(a.spec().source()))
                .map(App::name).toList()).join();
    }

    /** Where the app came from (its ecosystem file, or "<command line>"); null for an unknown app. */
    public String sourceOf(String app) {
        return loop.call(() -> apps.containsKey(app) ? apps.get(app).spec().source() : null).join();
    }

    // ---- operations ------------------------------------------------------------------------

    /** Registers or updates {@code specs}, then starts them (restarting changed ones) and waits. */
    public Response apply(List<AppSpec> specs, int uid, Consumer<String> progress) {
        var names = specs.stream().map(AppSpec::name).toList();
        try (var sub = subscribe(names, progress)) {
            var reloads = new java.util.concurrent.ConcurrentHashMap<String, RollingReload.Outcome>();
            var planned = loop.call(() -> ApplyPlan.execute(this, specs, uid, reloads)).join();
            if (planned instanceof Response.Failed f) return f;
            var answer = awaitThen(names, App::settled, stopTimeout(specs).plus(settleTimeout(specs)), "started");
            // settled() includes "no reload running", so every reload has reported by now.
            return reloads.entrySet().stream().filter(e -> !e.getValue().ok()).findFirst()
                    .<Response>map(e -> reloadFailure(e.getKey(), e.getValue())).orElse(answer);
        }
    }

    public Response startApps(String target, int uid, Consumer<String> progress) {
        return startApps(target, null, uid, progress);
    }

    /**
     * {@code updateEnv}: the caller's environment over each app's own (pm2's {@code start --update-env}), or null. A
     * stopped app starts with it; a running app whose environment changes gets it by a zero-downtime reload, as for a
     * changed file.
     */
    public Response startApps(String target, Map<String, String> updateEnv, int uid, Consumer<String> progress) {
        if (updateEnv != null) {
            var running = loop.call(() -> {
                var names = resolve(target);
                return names == null ? List.<String>of() : names.stream().filter(n -> apps.get(n).reloadRefusal() == null
                        && EnvUpdate.of(apps.get(n).spec(), updateEnv).previous() != null).toList();
            }).join();
            for (var n : running) {
                if (reload(n, updateEnv, uid, progress) instanceof Response.Failed failed) return failed;
            }
        }
        return withTargets(target, progress, names -> loop.<Response>call(() -> {
            var failure = ApplyPlan.openListeners(this, names.stream().map(n -> apps.get(n).spec()).toList());
            if (failure != null) return failure;
            for (var n : names) {
                store.setDesired(n, true);
                var envUpdate = EnvUpdate.of(apps.get(n).spec(), updateEnv);
                envUpdate.applyTo(this, apps.get(n));
                requested(n, "start", envUpdate.detail(), uid);
                var app = apps.get(n);
                app.guard(app::start);
            }
            return null;
        }).join(), names -> awaitThen(names, App::settled, settleTimeout(specsOf(names)), "started"));
    }

    public Response stop(String target, int uid, Consumer<String> progress) {
        // 'stop all', as pm2's: the apps already stopped are left alone and named
        var skipped = !"all".equals(target) ? List.<String>of() : loop.call(() -> apps.entrySet().stream()
                .filter(e -> !e.getValue().desiredRunning() && e.getValue().allStopped()).map(Map.Entry::getKey).sorted()
                .toList()).join();
        if (skipped.isEmpty()) return stopNow(target, uid, progress, List.of());
        String note = "skipped: " + String.join(", ", skipped) + " (already stopped)";
        if (skipped.size() == appNames().size()) return new Response.Done("nothing to stop; " + note);
        return switch (stopNow(target, uid, progress, skipped)) {
            case Response.Apps a -> new Response.Apps(a.apps(), a.message() + "; " + note);
            case Response r -> r;
        };
    }

    private Response stopNow(String target, int uid, Consumer<String> progress, List<String> skipped) {
        return withTargets(target, progress, all -> loop.<Response>call(() -> {
            for (var n : all) {
                if (skipped.contains(n)) continue;
                saveOrWarn(() -> store.setDesired(n, false), n + " is stopped now, but a daemon restart would start it again", progress);
                requested(n, "stop", null, uid);
                var app = apps.get(n);
                app.guard(() -> app.stop(false));
            }
            return null;
        }).join(), all -> {
            var names = all.stream().filter(n -> !skipped.contains(n)).toList();
            return awaitThen(names, App::allStopped, stopTimeout(specsOf(names)), "stopped");
        });
    }

    public Response restart(String target, int uid, Consumer<String> progress) {
        return restart(target, null, uid, progress);
    }

    /** {@code updateEnv}: the caller's environment over each app's own first (pm2's --update-env), or null. */
    public Response restart(String target, Map<String, String> updateEnv, int uid, Consumer<String> progress) {
        return withTargets(target, progress, names -> loop.<Response>call(() -> {
            var failure = ApplyPlan.openListeners(this, names.stream().map(n -> apps.get(n).spec()).toList());
            if (failure != null) return failure;
            for (var n : names) {
                store.setDesired(n, true);
                var envUpdate = EnvUpdate.of(apps.get(n).spec(), updateEnv);
                envUpdate.applyTo(this, apps.get(n));
                requested(n, "restart", envUpdate.detail(), uid);
                var app = apps.get(n);
                app.guard(app::restart);
            }
            return null;
        }).join(), names -> awaitThen(names, App::settled,
                stopTimeout(specsOf(names)).plus(settleTimeout(specsOf(names))), "restarted"));
    }

    /**
     * Rolling reload of the target's apps, all at once (each app replaces its own workers one batch at
     * a time). Refused, before anything changes, if any of them is stopped or already reloading.
     */
    public Response reload(String target, int uid, Consumer<String> progress) {
        return reload(target, null, uid, progress);
    }

    /**
     * {@code updateEnv}: the caller's environment over each app's own first (pm2's --update-env), or null; a reload
     * that fails puts the previous environment back, as for a changed file.
     */
    public Response reload(String target, Map<String, String> updateEnv, int uid, Consumer<String> progress) {
        var resolved = loop.call(() -> resolve(target)).join();
        if (resolved == null) return notFound(target);
        // Nothing would ever complete allDone below: 'reload all' (and SIGHUP) on an empty daemon answers now.
        if (resolved.isEmpty()) return new Response.Done("no apps to reload");
        // One-shot jobs that did their work have nothing to replace: skipped, and said so. And 'reload all', as
        // pm2's, reloads the apps a reload applies to: the stopped (or busy) ones are skipped and named.
        var finished = loop.call(() -> resolved.stream().filter(n -> apps.get(n).finishedJob()).toList()).join();
        var refused = !"all".equals(target) ? List.<String>of() : loop.call(() -> resolved.stream()
                .filter(n -> !finished.contains(n)).map(n -> apps.get(n).reloadRefusal())
                .filter(java.util.Objects::nonNull).toList()).join();
        var names = loop.call(() -> resolved.stream().filter(n -> !finished.contains(n))
                .filter(n -> !"all".equals(target) || apps.get(n).reloadRefusal() == null).toList()).join();
        String skipNote = (finished.isEmpty() ? "" : "; skipped " + String.join(", ", finished) + " (one-shot, finished)")
                + (refused.isEmpty() ? "" : "; skipped: " + String.join("; ", refused));
        if (names.isEmpty()) return new Response.Done("nothing to reload" + skipNote);
        try (var sub = subscribe(names, progress)) {
            var outcomes = new java.util.concurrent.ConcurrentHashMap<String, RollingReload.Outcome>();
            var allDone = new CompletableFuture<Void>();
            var refusal = loop.<String>call(() -> {
                for (var n : names) {
                    var why = apps.get(n).reloadRefusal();
                    if (why != null) return why;
                }
                for (var n : names) {
                    var app = apps.get(n);
                    var envUpdate = EnvUpdate.of(app.spec(), updateEnv);
                    envUpdate.applyTo(this, app);
                    requested(n, "reload", envUpdate.detail(), uid);
                    java.util.function.Consumer<RollingReload.Outcome> report = o -> {
                        outcomes.put(n, o);
                        if (outcomes.size() == names.size()) allDone.complete(null);
                    };
                    app.guard(() -> app.reload(envUpdate.previous(), report));
                    if (!outcomes.containsKey(n) && app.reload() == null) { // the app failed before its reload began
                        report.accept(new RollingReload.Outcome(false, 0, 0, "the app is errored", List.of(), 0));
                    }
                }
                return null;
            }).join();
            if (refusal != null) return Response.Failed.of(ErrorKind.FAILED, refusal);
            allDone.join(); // bounded: every step of a reload has a deadline (listen_timeout, min_ready_time, kill_timeout)
            var failed = outcomes.entrySet().stream().filter(e -> !e.getValue().ok()).toList();
            if (!failed.isEmpty()) return reloadFailure(failed.getFirst().getKey(), failed.getFirst().getValue());
            var views = loop.call(() -> names.stream().map(apps::get).filter(a -> a != null).map(Views::snapshot).toList()).join();
            long took = outcomes.values().stream().mapToLong(RollingReload.Outcome::tookMs).max().orElse(0);
            int replaced = outcomes.values().stream().mapToInt(RollingReload.Outcome::replaced).sum();
            return new Response.Apps(views.stream().map(v -> Views.withResources(v, sampler)).toList(),
                    "reloaded " + String.join(", ", names) + ": " + replaced + " worker(s) replaced in " + took + " ms" + skipNote);
        }
    }

    private static Response reloadFailure(String app, RollingReload.Outcome o) {
        return new Response.Failed(ErrorKind.FAILED, "reload of " + app + " failed: " + o.failure()
                + "; " + o.replaced() + " of " + o.total() + " workers replaced, the others keep serving", o.failureLog());
    }

    public Response scale(String name, int instances, int uid, Consumer<String> progress) {
        if ("all".equals(name)) return Response.Failed.of(ErrorKind.BAD_REQUEST, "scale takes one app name, not 'all'");
        return withTargets(name, progress, names -> loop.<Response>call(() -> {
            var app = apps.get(name);
            store.putApp(app.spec().withInstances(instances), app.desiredRunning());
            requested(name, "scale", app.spec().instances() + " -> " + instances, uid);
            app.guard(() -> app.scale(instances));
            return null;
        }).join(), names -> awaitThen(names, a -> a.settled() && a.workers().stream().noneMatch(Worker::retiring),
                stopTimeout(specsOf(names)).plus(settleTimeout(specsOf(names))), "scaled"));
    }

    public Response delete(String target, int uid, Consumer<String> progress) {
        var stopped = stop(target, uid, progress);
        if (stopped instanceof Response.Failed f) return f;
        var names = loop.call(() -> resolve(target)).join();
        loop.call(() -> {
            for (var n : names) {
                var app = apps.remove(n);
                if (app == null) continue;
                app.closeListener();
                app.closeTriggers();
                saveOrWarn(() -> store.deleteApp(n), n + " is deleted now, but a daemon restart would bring it back", progress);
                counters.remove(n);
                requested(n, "deleted", null, uid);
            }
            return null;
        }).join();
        return new Response.Done("deleted " + String.join(", ", names));
    }

    /**
     * Stop and delete are saved before they act, but never refused for want of disk: a full or read-only store
     * must not keep an app running (it may be what fills the disk). They act anyway, and the client is told.
     */
    private static void saveOrWarn(Runnable storeWrite, String consequence, Consumer<String> progress) {
        try {
            storeWrite.run();
        } catch (zdm.store.StoreException e) {
            String line = "warning: " + e.getMessage() + "; " + consequence;
            DaemonLog.warn(line);
            progress.accept(line);
        }
    }

    /** Stops every worker but keeps each app's desired state, so the next daemon brings them back. */
    public void shutdown() {
        shutdown(false);
    }

    /**
     * Stops every app's workers but keeps desired states; with {@code keepSocketWorkers}, the workers of
     * {@code listen: socket} apps are left running (their records stay in the store, so the next daemon
     * finds them and takes their socket over, see {@link Restore}). Idempotent; once workers were
     * kept, a later call (the daemon's exit path calls {@link #shutdown()}) keeps them too.
     */
    public void shutdown(boolean keepSocketWorkers) {
        if (keepSocketWorkers && !keptWorkers) {
            keptWorkers = true;
            DaemonLog.info("leaving the workers of listen: socket apps serving, for the next daemon to take over");
        }
        boolean keep = keptWorkers;
        var all = loop.call(() -> {
            var stopping = apps.values().stream().filter(a -> !(keep && a.spec().socketMode())).toList();
            var timeout = stopTimeout(stopping.stream().map(App::spec).toList());
            stopping.forEach(a -> a.guard(() -> a.stop(true)));
            return loop.await(() -> stopping.stream().allMatch(App::allStopped), timeout);
        }).join();
        all.join();
        loop.call(() -> {
            apps.values().forEach(App::closeListener);
            if (notifyDir != null && !keep) notifyDir.remove();
            apps.values().forEach(App::closeTriggers);
            return null;
        }).join();
    }

    // ---- helpers ---------------------------------------------------------------------------

    private Response withTargets(String target, Consumer<String> progress, java.util.function.Function<List<String>, Response> act,
                                 java.util.function.Function<List<String>, Response> then) {
        var names = loop.call(() -> resolve(target)).join();
        if (names == null) return notFound(target);
        try (var sub = subscribe(names, progress)) {
            var failure = act.apply(names);
            return failure != null ? failure : then.apply(names);
        }
    }

    /** Forwards the events of {@code names} to a client's progress stream until closed. */
    private Subscription subscribe(List<String> names, Consumer<String> progress) {
        // Every event line is matched against every name ("reload all" of 500 apps: 500 per line), so
        // without building "name[" and "name " strings for each comparison.
        Consumer<String> filter = line -> {
            for (var n : names) if (namesApp(line, n)) { progress.accept(line); return; }
        };
        progressListeners.add(filter);
        return () -> progressListeners.remove(filter);
    }

    /** Whether an event line ("name[0] ..." or "name ...") is about app {@code name}. */
    private static boolean namesApp(String line, String name) {
        int end = name.length();
        return line.length() > end && line.startsWith(name) && (line.charAt(end) == '[' || line.charAt(end) == ' ');
    }

    private interface Subscription extends AutoCloseable {
        @Override void close();
    }

    /** App names for "all" or one name; null when the name is unknown. Loop only. */
    private List<String> resolve(String target) {
        if ("all".equals(target)) return List.copyOf(apps.keySet());
        return apps.containsKey(target) ? List.of(target) : null;
    }

    private List<AppSpec> specsOf(List<String> names) {
        return loop.call(() -> names.stream().map(n -> apps.get(n).spec()).toList()).join();
    }

    /** Waits (off the loop) until {@code done} holds for every named app, then answers their table. */
    private Response awaitThen(List<String> names, Predicate<App> done, Duration timeout, String verb) {
        boolean met = loop.call(() -> loop.await(() -> names.stream().map(apps::get)
                .allMatch(a -> a == null || done.test(a)), timeout)).join().join();
        var views = loop.call(() -> names.stream().map(apps::get).filter(a -> a != null).map(Views::snapshot).toList()).join();
        var withRes = views.stream().map(v -> Views.withResources(v, sampler)).toList();
        String msg = met ? verb + " " + String.join(", ", names)
                : "timed out after " + timeout.toSeconds() + " s waiting for " + String.join(", ", names);
        return new Response.Apps(withRes, msg);
    }

    static Duration settleTimeout(List<AppSpec> specs) {
        long ms = specs.stream().mapToLong(s -> s.port() != null
                ? s.listenTimeoutMs() : s.minUptimeMs()).max().orElse(0);
        return Duration.ofMillis(ms).plusSeconds(5);
    }

    static Duration stopTimeout(List<AppSpec> specs) {
        return Duration.ofMillis(specs.stream().mapToLong(AppSpec::killTimeoutMs).max().orElse(0)).plusSeconds(10);
    }

    /** Off the loop only (it asks the loop for the names). */
    private Response notFound(String name) {
        return Response.Failed.of(ErrorKind.NOT_FOUND, notFoundMessage(name, appNames()));
    }

    /** "no app named 'wbe'; did you mean "web"?", with a word for pm2 users who type an id. */
    public static String notFoundMessage(String name, java.util.Collection<String> names) {
        if (name.matches("\\d+") && !names.contains(name)) {
            return "no app named '" + name + "': zdm has no numeric ids, name the app ('zdm ls' lists them)";
        }
        String hint = zdm.config.Suggestions.didYouMean(name, names);
        return "no app named '" + name + "'" + (hint.isEmpty() ? "; 'zdm ls' lists the apps" : hint);
    }

    // ---- for the daemon's host (systemd readiness, zdm run) -----------------------------------

    /**
     * Completes with true once every app has settled (each worker online, errored, stopped or waiting
     * to restart), or false after the apps' settle timeout. Used for systemd's READY=1.
     */
    public CompletableFuture<Boolean> whenSettled() {
        return loop.call(() -> loop.await(() -> apps.values().stream().allMatch(App::settled),
                settleTimeout(apps.values().stream().map(App::spec).toList()))).join();
    }

    /** A snapshot of every app (no resource sampling): cheap enough to poll. */
    public List<zdm.protocol.AppView> views() {
        return loop.call(() -> apps.values().stream().map(Views::snapshot).toList()).join();
    }

    /** Used by restore and by tests: resolves on the loop. */
    CompletableFuture<Void> onLoop(Runnable r) {
        return loop.call(() -> { r.run(); return null; });
    }
}
