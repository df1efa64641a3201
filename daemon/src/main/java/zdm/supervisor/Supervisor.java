package zdm.supervisor;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import zdm.config.AppSpec;
import zdm.config.Suggestions;
import zdm.metrics.AppSample;
import zdm.proc.AppLogs;
import zdm.proc.OutputCapture;
import zdm.proc.ResourceSampler;
import zdm.protocol.AppView;
import zdm.protocol.Paths;
import zdm.protocol.Response;
import zdm.store.Store;

/**
 * The supervisor as the rest of the daemon sees it: one method per client request, each handing the
 * request to its own handler ({@link ApplySpecs}, {@link StartApps}, {@link StopApps},
 * {@link RestartApps}, {@link ReloadApps}, {@link ScaleApp}, {@link DeleteApps}, {@link FlushLogs},
 * {@link ShutdownApps}) or to the read side ({@link AppQueries}), over one {@link AppRegistry}. Called
 * from request threads; every read or change of state hops onto the {@link SupervisionLoop}, and the
 * waiting happens off it. A change of desired state is committed to the store before the operation
 * acts, so an acknowledged request survives a daemon crash.
 */
public final class Supervisor {
    private final AppRegistry registry;
    private final AppQueries queries;
    private final ShutdownApps shutdown;

    public Supervisor(Paths paths, Store store, AppLogs logs, OutputCapture capture, ResourceSampler sampler,
                      SupervisionLoop loop) {
        this(paths, store, logs, capture, sampler, loop, new OsHost(loop, sampler));
    }

    /** With another {@link Host}: the supervisor tests' fake processes and clock. */
    Supervisor(Paths paths, Store store, AppLogs logs, OutputCapture capture, ResourceSampler sampler,
               SupervisionLoop loop, Host host) {
        this.registry = new AppRegistry(paths, store, logs, capture, sampler, loop, host);
        this.queries = new AppQueries(registry);
        this.shutdown = new ShutdownApps(registry);
    }

    AppRegistry registry() { return registry; }

    /** The store, for reading the events table (zdm events). */
    public Store eventStore() { return registry.store(); }

    // ---- the read side ----------------------------------------------------------------------

    public List<String> appNames() { return registry.names(); }

    public Response list() { return queries.list(); }

    public Response describe(String name) { return describe(name, false); }

    /** Secret-looking env values are masked here, in the daemon, unless {@code showSecrets}. */
    public Response describe(String name, boolean showSecrets) { return queries.describe(name, showSecrets); }

    public List<AppSample> metrics() { return queries.metrics(); }

    /** Names of the registered apps that came from {@code source} (an ecosystem file's absolute path). */
    public List<String> appsFrom(String source) { return queries.appsFrom(source); }

    /** Where the app came from (its ecosystem file, or "<command line>"); null for an unknown app. */
    public String sourceOf(String app) { return queries.sourceOf(app); }

    /** The caller's environment a registered app keeps beneath its env; empty for an unknown app. */
    public java.util.Optional<Map<String, String>> callerEnvOf(String app) { return queries.callerEnvOf(app); }

    /** A snapshot of every app (no resource sampling): cheap enough to poll. */
    public List<AppView> views() { return queries.views(); }

    /** True once every app has settled, false after their settle timeout: systemd's READY=1, {@code zdm run}. */
    public CompletableFuture<Boolean> whenSettled() { return queries.whenSettled(); }

    // ---- requests that change state ---------------------------------------------------------

    /** Registers or updates {@code specs}, then starts them (restarting changed ones) and waits. */
    public Response apply(List<AppSpec> specs, int uid, Consumer<String> progress) {
        return ApplySpecs.run(registry, specs, uid, progress);
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
        return StartApps.run(registry, target, updateEnv, uid, progress);
    }

    public Response stop(String target, int uid, Consumer<String> progress) {
        return StopApps.run(registry, target, uid, progress);
    }

    public Response restart(String target, int uid, Consumer<String> progress) {
        return restart(target, null, uid, progress);
    }

    /** {@code updateEnv}: the caller's environment over each app's own first (pm2's --update-env), or null. */
    public Response restart(String target, Map<String, String> updateEnv, int uid, Consumer<String> progress) {
        return RestartApps.run(registry, target, updateEnv, uid, progress);
    }

    public Response reload(String target, int uid, Consumer<String> progress) {
        return reload(target, null, uid, progress);
    }

    /** {@code updateEnv} as for {@link #restart}; a reload that fails puts the previous environment back. */
    public Response reload(String target, Map<String, String> updateEnv, int uid, Consumer<String> progress) {
        return ReloadApps.run(registry, target, updateEnv, uid, progress);
    }

    public Response scale(String name, int instances, int uid, Consumer<String> progress) {
        return ScaleApp.run(registry, name, instances, uid, progress);
    }

    public Response delete(String target, int uid, Consumer<String> progress) {
        return DeleteApps.run(registry, target, uid, progress);
    }

    /** Empties the log files of the target's apps; recorded as a "flushed" event with the uid that asked. */
    public Response flush(String target, int uid) {
        return FlushLogs.run(registry, target, uid);
    }

    /** Stops every worker but keeps each app's desired state, so the next daemon brings them back. */
    public void shutdown() {
        shutdown(false);
    }

    /** As {@link #shutdown()}; with {@code keepSocketWorkers}, {@code listen: socket} workers keep serving. */
    public void shutdown(boolean keepSocketWorkers) {
        shutdown.run(keepSocketWorkers);
    }

    /** "no app named 'wbe'; did you mean "web"?", with a word for pm2 users who type an id. */
    public static String notFoundMessage(String name, Collection<String> names) {
        if (name.matches("\\d+") && !names.contains(name)) {
            return "no app named '" + name + "': zdm has no numeric ids, name the app ('zdm ls' lists them)";
        }
        String hint = Suggestions.didYouMean(name, names);
        return "no app named '" + name + "'" + (hint.isEmpty() ? "; 'zdm ls' lists the apps" : hint);
    }
}
