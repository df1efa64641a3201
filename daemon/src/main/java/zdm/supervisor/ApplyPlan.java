package zdm.supervisor;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import zdm.config.AppSpec;
import zdm.config.Listen;
import zdm.net.PortListener;
import zdm.net.ProxyLimits;
import zdm.net.PublicPort;
import zdm.net.SharedSocket;
import zdm.protocol.ErrorKind;
import zdm.protocol.Response;
import zdm.store.StoreException;

/**
 * Applies a validated set of app specs in an order that can fail without leaving anything half
 * done: first every check and every port bind, then one store transaction, and only then workers
 * are started. Runs on the supervision loop.
 */
final class ApplyPlan {
    /** How long a connection to an app's port waits for a ready worker before it is closed. */
    static final Duration WAIT_FOR_WORKER = Duration.ofSeconds(30);

    private ApplyPlan() {}

    /**
     * Returns a failure (nothing changed) or null (the apps are registered and starting). Reloads
     * begun for changed apps report their outcome into {@code reloads}.
     */
    static Response execute(AppRegistry sup, List<AppSpec> specs, int uid, Map<String, RollingReload.Outcome> reloads) {
        var apps = sup.apps();
        var names = specs.stream().map(AppSpec::name).toList();
        for (var spec : specs) {
            if (spec.network().port() == null) continue;
            for (var other : apps.values()) {
                if (!names.contains(other.name()) && spec.network().port().equals(other.spec().network().port())) {
                    return Response.Failed.of(ErrorKind.INVALID_CONFIG, "app " + spec.name() + ": port " + spec.network().port()
                            + " is already used by app " + other.name() + "; choose another port or 'zdm delete "
                            + other.name() + "'");
                }
            }
        }
        // autostart: false registers a new app without starting it; an app already known keeps its state.
        Predicate<AppSpec> runs = spec -> spec.autostart()
                || (apps.get(spec.name()) != null && apps.get(spec.name()).desiredRunning());
        var opened = open(sup, specs.stream().filter(runs).toList());
        if (opened instanceof Opened.Failure f) return f.response();
        var listeners = ((Opened.Ok) opened).listeners();
        try {
            sup.store().putApps(specs, runs);
        } catch (StoreException e) {
            listeners.values().forEach(PublicPort::close);
            return Response.Failed.of(ErrorKind.INTERNAL, e.getMessage());
        }
        for (var spec : specs) {
            var app = apps.get(spec.name());
            if (!runs.test(spec)) {
                notStarted(sup, app, spec, uid);
            } else if (app == null) {
                app = new App(sup.loop(), sup, sup.host(), spec, true);
                apps.put(spec.name(), app);
                sup.requested(spec.name(), "registered", "from " + spec.source(), uid);
                adopt(app, listeners);
                app.guard(app::start);
            } else if (!app.spec().equals(spec)) {
                var previous = app.spec();
                app.replaceSpec(spec);
                sup.requested(spec.name(), "config-changed", "from " + spec.source(), uid);
                adopt(app, listeners);
                var changing = app;
                app.guard(() -> changed(changing, previous, spec, reloads));
            } else {
                sup.requested(spec.name(), "start", null, uid);
                adopt(app, listeners);
                app.guard(app::start);
            }
        }
        return null;
    }

    /** An app with autostart: false that is not running: registered, or its config updated, and left stopped. */
    private static void notStarted(AppRegistry sup, App app, AppSpec spec, int uid) {
        if (app == null) {
            sup.apps().put(spec.name(), new App(sup.loop(), sup, sup.host(), spec, false));
            sup.requested(spec.name(), "registered", "from " + spec.source(), uid);
        } else if (!app.spec().equals(spec)) {
            app.replaceSpec(spec);
            sup.requested(spec.name(), "config-changed", "from " + spec.source(), uid);
        }
        sup.event(spec.name(), null, "not started", "autostart: false; start it with 'zdm start " + spec.name() + "'");
    }

    /**
     * A running app whose config changed is reloaded, not restarted: its workers are replaced one
     * batch at a time with zero downtime, and a replacement that fails puts the previous config back.
     * A stopped (or restarting, or already reloading) app simply starts with the new config.
     */
    private static void changed(App app, AppSpec previous, AppSpec next, Map<String, RollingReload.Outcome> reloads) {
        boolean onlyInstances = previous.withInstances(next.instances()).equals(next);
        if (onlyInstances || AppConditions.reloadRefusal(app) != null || app.workers().stream().noneMatch(w -> w.state().hasProcess())) {
            if (app.desiredRunning() && previous.instances() != next.instances()) app.scale(next.instances());
            app.start();
            return;
        }
        app.reload(previous, outcome -> reloads.put(app.name(), outcome));
        if (previous.instances() != next.instances()) app.scale(next.instances());
    }

    /**
     * {@code zdm start} and {@code restart} of registered apps, on the loop: their ports open (all or none) and their
     * desired state is saved as running; then each app takes {@code updateEnv} (pm2's --update-env, or null), the
     * request is recorded as {@code verb} with the uid that asked, and {@code act} starts it. Returns a failure
     * (nothing changed) or null.
     */
    static Response wantRunning(AppRegistry sup, List<String> names, Map<String, String> updateEnv, String verb, int uid,
                                Consumer<App> act) {
        var failure = openListeners(sup, names.stream().map(n -> sup.apps().get(n).spec()).toList());
        if (failure != null) return failure;
        for (var n : names) sup.store().setDesired(n, true);
        for (var n : names) {
            var app = sup.apps().get(n);
            var envUpdate = EnvUpdate.of(app.spec(), updateEnv);
            envUpdate.applyTo(sup, app);
            sup.requested(n, verb, envUpdate.detail(), uid);
            app.guard(() -> act.accept(app));
        }
        return null;
    }

    /** Opens the ports of stopped apps about to start; returns a failure or null. */
    static Response openListeners(AppRegistry sup, List<AppSpec> specs) {
        var opened = open(sup, specs);
        if (opened instanceof Opened.Failure f) return f.response();
        ((Opened.Ok) opened).listeners().forEach((name, l) -> sup.apps().get(name).adoptListener(l));
        return null;
    }

    private static void adopt(App app, Map<String, PublicPort> listeners) {
        var l = listeners.get(app.name());
        if (l != null) app.adoptListener(l);
    }

    private sealed interface Opened {
        record Ok(Map<String, PublicPort> listeners) implements Opened {}

        record Failure(Response.Failed response) implements Opened {}
    }

    static ProxyLimits proxyLimits(AppSpec spec) {
        return new ProxyLimits(Duration.ofMillis(spec.network().headTimeoutMs()),
                Duration.ofMillis(spec.network().keepaliveTimeoutMs()),
                (int) spec.network().maxHeadBytes(), spec.network().maxConnections(),
                Duration.ofMillis(spec.network().bodyTimeoutMs()), spec.network().maxConnectionsPerAddress(),
                Duration.ofMillis(spec.network().sendTimeoutMs()));
    }

    /**
     * A Node app without port: binds the port it was last seen to listen on, so its workers start on it at once. Not
     * bound (taken by another program now, or never learned): the workers learn it again ({@link PortLearning}).
     */
    private static void rememberedPort(AppRegistry sup, AppSpec spec, Map<String, PublicPort> opened) {
        var existing = sup.apps().get(spec.name());
        if (existing != null && existing.publicPort() instanceof SharedSocket) return;
        var where = sup.store().rememberedPort(spec.name());
        if (where.isEmpty()) return;
        try {
            opened.put(spec.name(), SharedSocket.open(spec.name(), where.get()));
        } catch (IOException e) {
            sup.event(spec.name(), null, "port-not-bound", e.getMessage() + "; the workers tell the port again");
        }
    }

    /** Binds every port that is not bound yet, all or nothing. */
    private static Opened open(AppRegistry sup, List<AppSpec> specs) {
        var opened = new LinkedHashMap<String, PublicPort>();
        for (var spec : specs) {
            if (spec.network().learnsPort()) {
                rememberedPort(sup, spec, opened);
                continue;
            }
            if (spec.network().port() == null) continue;
            var existing = sup.apps().get(spec.name());
            var held = existing == null ? null : existing.publicPort();
            if (held != null && (held instanceof SharedSocket) != spec.network().socketMode()) {
                // Both kinds cannot hold the port at once, and workers of the old kind still use it. A file without
                // listen: that ran in proxy mode before listen: auto became the default lands here too: say how to keep it.
                opened.values().forEach(PublicPort::close);
                var running = held instanceof SharedSocket ? Listen.SOCKET : Listen.PROXY;
                return new Opened.Failure(Response.Failed.of(ErrorKind.INVALID_CONFIG, "app " + spec.name()
                        + ": listen: changed from " + running + " to " + spec.network().listen() + " while the app runs; stop it first ('zdm stop "
                        + spec.name() + "'), then start it with the new config, or write listen: " + running + " to keep it as it runs"));
            }
            // The port is already ours: keep the listener (a changed `protocol` applies from the next start).
            if (held != null && held.port() == spec.network().port()) continue;
            try {
                opened.put(spec.name(), spec.network().socketMode() ? SharedSocket.open(spec.name(), spec.network().port())
                        : PortListener.open(spec.name(), spec.network().port(), WAIT_FOR_WORKER,
                                spec.network().protocol(), sup.counters(spec.name()).traffic(),
                                proxyLimits(spec)));
            } catch (IOException e) {
                opened.values().forEach(PublicPort::close);
                return new Opened.Failure(Response.Failed.of(ErrorKind.FAILED, e.getMessage()));
            }
        }
        return new Opened.Ok(opened);
    }
}
