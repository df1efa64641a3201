package zdm.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import zdm.config.AppSpec;
import zdm.log.DaemonLog;
import zdm.metrics.AppCounters;
import zdm.net.ListenAddress;
import zdm.proc.AppLogs;
import zdm.proc.NodePreload;
import zdm.proc.OutputCapture;
import zdm.proc.ProcessIdentity;
import zdm.proc.ResourceSampler;
import zdm.protocol.AppView;
import zdm.protocol.ErrorKind;
import zdm.protocol.Paths;
import zdm.protocol.Response;
import zdm.store.Store;
import zdm.store.StoredApp;
import zdm.store.WorkerRecord;

/**
 * The registered apps and what they need around them ({@link AppContext}): the store, the logs, the
 * per-app counters and the progress lines of clients waiting on an operation. The app table is read
 * and changed on the supervision loop only; the request handlers (one class per request) and the read
 * side ({@link AppQueries}) reach it with {@code loop.call}.
 */
final class AppRegistry implements AppContext {
    private final Paths paths;
    private final Store store;
    /** Worker records and events: best effort, so that a full or read-only disk never stops supervision. */
    private final Bookkeeping bookkeeping;
    private final AppLogs logs;
    private final OutputCapture capture;
    private final ResourceSampler sampler;
    private final SupervisionLoop loop;
    private final Host host;
    private final Map<String, App> apps = new LinkedHashMap<>(); // loop only; registration order
    private final List<Consumer<String>> progressListeners = new CopyOnWriteArrayList<>();
    /** Per app, for the metrics endpoint; kept across stop/start, dropped by delete. */
    private final Map<String, AppCounters> counters = new ConcurrentHashMap<>();
    /** Where NOTIFY_SOCKETs are bound; prepared on first use (loop only). */
    private NotifyDir notifyDir;

    AppRegistry(Paths paths, Store store, AppLogs logs, OutputCapture capture, ResourceSampler sampler,
                SupervisionLoop loop, Host host) {
        this.paths = paths;
        this.store = store;
        this.bookkeeping = new Bookkeeping(store);
        this.logs = logs;
        this.capture = capture;
        this.sampler = sampler;
        this.loop = loop;
        this.host = host;
    }

    Paths paths() { return paths; }
    Store store() { return store; }
    ResourceSampler sampler() { return sampler; }
    SupervisionLoop loop() { return loop; }
    Host host() { return host; }
    /** Loop only. */
    Map<String, App> apps() { return apps; }

    // ---- AppContext (loop only) ---------------------------------------------------------

    @Override public AppLogs logs() { return logs; }

    @Override public OutputCapture capture() { return capture; }

    @Override
    public Path notifyDir() throws IOException {
        if (notifyDir == null) notifyDir = NotifyDir.prepare(paths.home(), System.getenv("XDG_RUNTIME_DIR"));
        return notifyDir.path();
    }

    /** Removes the NOTIFY_SOCKET directory, if one was prepared (loop only; at shutdown). */
    void removeNotifyDir() {
        if (notifyDir != null) notifyDir.remove();
    }

    @Override
    public Path home() {
        return paths.home();
    }

    @Override
    public Path nodePreload() throws IOException {
        return NodePreload.install(paths.home());
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
    public void persist(String app, Worker w, ProcessIdentity other) {
        var exit = w.lastExit();
        var record = new WorkerRecord(app, w.id, w.state().pid(),
                w.state().hasProcess() && w.identity() != null ? w.identity().startTimeMs() : 0,
                w.state().label(), w.restarts(), exit == null ? null : exit.code(),
                exit == null || exit.signal() == null ? null : exit.signal().name(),
                other == null ? 0 : other.pid(), other == null ? 0 : other.startTimeMs());
        bookkeeping.write(() -> store.putWorker(record));
    }

    /**
     * The desired state is kept as the store has it: a start or restart saved it running before it changes the app's
     * environment (--update-env), while the app's own flag turns running only as it starts; a stop saved it stopped.
     */
    @Override
    public void saveSpec(AppSpec spec) {
        store.putApp(spec, store.app(spec.name()).map(StoredApp::desiredRunning).orElse(true));
    }

    @Override
    public void rememberPort(String app, ListenAddress where) {
        bookkeeping.write(() -> store.rememberPort(app, where));
    }

    @Override
    public AppCounters counters(String app) {
        return counters.computeIfAbsent(app, n -> new AppCounters());
    }

    /** The app is deleted: its counters go with it. */
    void dropCounters(String app) {
        counters.remove(app);
    }

    @Override
    public void forget(String app, Worker w) {
        bookkeeping.write(() -> store.deleteWorker(app, w.id));
        // The slot's last process is gone by now, so its state names no pid (it used to forget pid 0): its identity does.
        if (w.identity() != null) sampler.forget(w.identity().pid());
    }

    // ---- for the request handlers -------------------------------------------------------

    /** App names for "all" or one name; null when the name is unknown. Loop only. */
    List<String> resolve(String target) {
        if ("all".equals(target)) return List.copyOf(apps.keySet());
        return apps.containsKey(target) ? List.of(target) : null;
    }

    /** {@link #resolve}, from a request thread. */
    List<String> resolveOffLoop(String target) {
        return loop.call(() -> resolve(target)).join();
    }

    List<String> names() {
        return loop.call(() -> List.copyOf(apps.keySet())).join();
    }

    List<AppSpec> specsOf(List<String> names) {
        return loop.call(() -> names.stream().map(n -> apps.get(n).spec()).toList()).join();
    }

    /** Off the loop only (it asks the loop for the names). */
    Response notFound(String name) {
        return Response.Failed.of(ErrorKind.NOT_FOUND, Supervisor.notFoundMessage(name, names()));
    }

    /**
     * The common shape of a request on named apps: resolve the target (unknown: NOT_FOUND), forward the
     * apps' events to the client while {@code act} runs on the loop (a non-null answer is a refusal) and
     * {@code then} waits off it.
     */
    Response withTargets(String target, Consumer<String> progress, Function<List<String>, Response> act,
                         Function<List<String>, Response> then) {
        var names = resolveOffLoop(target);
        if (names == null) return notFound(target);
        try (var sub = subscribe(names, progress)) {
            var failure = act.apply(names);
            return failure != null ? failure : then.apply(names);
        }
    }

    /** Forwards the events of {@code names} to a client's progress stream until closed. */
    Subscription subscribe(List<String> names, Consumer<String> progress) {
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

    interface Subscription extends AutoCloseable {
        @Override void close();
    }

    /** The table of the named apps that still exist, with CPU and memory read off the loop. */
    List<AppView> table(List<String> names) {
        var views = loop.call(() -> names.stream().map(apps::get).filter(Objects::nonNull).map(Views::snapshot).toList()).join();
        return views.stream().map(v -> Views.withResources(v, sampler)).toList();
    }

    /** Waits (off the loop) until {@code done} holds for every named app, then answers their table. */
    Response awaitThen(List<String> names, Predicate<App> done, Duration timeout, String verb) {
        boolean met = loop.call(() -> loop.await(() -> names.stream().map(apps::get)
                .allMatch(a -> a == null || done.test(a)), timeout)).join().join();
        String msg = met ? verb + " " + String.join(", ", names)
                : "timed out after " + timeout.toSeconds() + " s waiting for " + String.join(", ", names);
        return new Response.Apps(table(names), msg);
    }

    static Duration settleTimeout(List<AppSpec> specs) {
        long ms = specs.stream().mapToLong(s -> s.network().port() != null
                ? s.health().listenTimeoutMs() : s.restart().minUptimeMs()).max().orElse(0);
        return Duration.ofMillis(ms).plusSeconds(5);
    }

    static Duration stopTimeout(List<AppSpec> specs) {
        return Duration.ofMillis(specs.stream().mapToLong(s -> s.process().killTimeoutMs()).max().orElse(0)).plusSeconds(10);
    }
}
