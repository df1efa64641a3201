package zdm.supervisor;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import zdm.metrics.AppSample;
import zdm.proc.ResourceSampler;
import zdm.protocol.AppDetail;
import zdm.protocol.AppView;
import zdm.protocol.Response;
import zdm.protocol.WorkerView;

/**
 * The read side: {@code ls}, {@code describe}, a metrics scrape and the daemon host's polls. Each
 * takes a snapshot on the supervision loop and does the slow part (CPU and memory from /proc, the
 * store's events) off it, so a read never holds supervision up.
 */
final class AppQueries {
    private final AppRegistry registry;
    private final SupervisionLoop loop;

    AppQueries(AppRegistry registry) {
        this.registry = registry;
        this.loop = registry.loop();
    }

    Response list() {
        var views = loop.call(() -> registry.apps().values().stream().map(Views::snapshot).toList()).join();
        return new Response.Apps(views.stream().map(v -> Views.withResources(v, registry.sampler())).toList(), null);
    }

    /** Secret-looking env values are masked in the daemon ({@link SpecViews}), unless {@code showSecrets}. */
    Response describe(String name, boolean showSecrets) {
        var app = loop.call(() -> registry.apps().get(name)).join();
        if (app == null) return registry.notFound(name);
        var view = loop.call(() -> Views.snapshot(app)).join();
        var spec = loop.call(app::spec).join();
        var paths = registry.paths();
        var wallNow = ZonedDateTime.ofInstant(Instant.ofEpochMilli(registry.host().wallMs()), ZoneId.systemDefault());
        return new Response.Described(new AppDetail(Views.withResources(view, registry.sampler()),
                SpecViews.of(spec, showSecrets, paths.outLog(name), wallNow),
                paths.outLog(name).toString(), paths.errLog(name).toString(), registry.store().events(name, 20)));
    }

    /**
     * Every app for a metrics scrape: serving workers and counters from the loop, then CPU and
     * memory from /proc off the loop.
     */
    List<AppSample> metrics() {
        record Slot(int id, WorkerView.State state, long pid) {}
        record Raw(String name, int desired, int ready, List<Slot> slots) {}
        var raw = loop.call(() -> registry.apps().values().stream().map(a -> new Raw(a.name(),
                a.desiredRunning() ? a.spec().instances() : 0,
                (int) a.workers().stream().filter(w -> w.state() instanceof WorkerState.Online).count(),
                a.workers().stream().map(w -> new Slot(w.id, Views.wireState(w.state()), w.state().pid())).toList())).toList()).join();
        var out = new ArrayList<AppSample>();
        for (var a : raw) {
            var c = registry.counters(a.name());
            var workers = a.slots().stream().map(s -> {
                var u = s.pid() == 0 ? new ResourceSampler.Usage(-1, -1) : registry.sampler().usage(s.pid());
                return new AppSample.WorkerSample(s.id(), s.state(), s.pid(), c.restarts(s.id()),
                        u.cpuSeconds(), u.rssBytes());
            }).toList();
            out.add(new AppSample(a.name(), a.desired(), a.ready(), workers, c));
        }
        return out;
    }

    /** Names of the registered apps that came from {@code source} (an ecosystem file's absolute path). */
    List<String> appsFrom(String source) {
        return loop.call(() -> registry.apps().values().stream().filter(a -> source.equals(a.spec().source()))
                .map(App::name).toList()).join();
    }

    /** Where the app came from (its ecosystem file, or "<command line>"); null for an unknown app. */
    String sourceOf(String app) {
        return loop.call(() -> registry.apps().containsKey(app) ? registry.apps().get(app).spec().source() : null).join();
    }

    /** The caller's environment a registered app keeps (ProcessSpec.callerEnv); empty for an unknown app. */
    java.util.Optional<java.util.Map<String, String>> callerEnvOf(String app) {
        return loop.call(() -> java.util.Optional.ofNullable(registry.apps().get(app)).map(a -> a.spec().process().callerEnv())).join();
    }

    /** A snapshot of every app (no resource sampling): cheap enough to poll. */
    List<AppView> views() {
        return loop.call(() -> registry.apps().values().stream().map(Views::snapshot).toList()).join();
    }

    /**
     * Completes with true once every app has settled (each worker online, errored, stopped or waiting
     * to restart), or false after the apps' settle timeout. Used for systemd's READY=1.
     */
    CompletableFuture<Boolean> whenSettled() {
        var apps = registry.apps();
        return loop.call(() -> loop.await(() -> apps.values().stream().allMatch(AppConditions::settled),
                AppRegistry.settleTimeout(apps.values().stream().map(App::spec).toList()))).join();
    }
}
