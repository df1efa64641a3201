package zdm.supervisor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import zdm.config.AppSpec;
import zdm.config.AppSpecBuilder;
import zdm.proc.AppLogs;
import zdm.proc.ResourceSampler;
import zdm.proc.StrayWorkers;
import zdm.protocol.AppView;
import zdm.protocol.Paths;
import zdm.store.Store;

/**
 * A supervisor on a state fixture (pueue style): a real store and real app logs in a temporary home,
 * the real supervision loop, and a {@link FakeHost} for processes and time. Tests call into apps on
 * the loop ({@link #on}), play what the processes do through the host, and look at the state.
 */
final class SupervisorFixture implements AutoCloseable {
    final Path home;
    final Store store;
    final AppLogs logs;
    final SupervisionLoop loop = new SupervisionLoop();
    final FakeHost host = new FakeHost(loop);
    final Supervisor sup;

    SupervisorFixture(Path home) throws Exception {
        this.home = home;
        var paths = new Paths(home);
        Files.createDirectories(paths.logs());
        // Restore stops the strays of an earlier daemon of this home: with the home's own mark, never another's processes.
        StrayWorkers.markHome(home);
        store = Store.open(paths.database());
        logs = new AppLogs(paths::outLog, paths::errLog);
        host.logs = (p, err, text) -> logs.line(p.app, p.worker, err, text);
        sup = new Supervisor(paths, store, logs, null, new ResourceSampler(), loop, host);
    }

    /** A spec with the ecosystem file's defaults: no port, ready after min_uptime (1 s). */
    static AppSpecBuilder spec(String name) {
        return AppSpec.builder(name, List.of("/bin/true")).cwd("/tmp");
    }

    /** Registers and starts {@code spec} as `zdm start` of a file would (ApplyPlan), and settles. */
    App start(AppSpec spec) {
        on(() -> ApplyPlan.execute(sup.registry(), List.of(spec), 0, new java.util.concurrent.ConcurrentHashMap<>()));
        return app(spec.name());
    }

    App app(String name) {
        return on(() -> sup.registry().apps().get(name));
    }

    /** Runs {@code task} on the loop and waits for it and for what it posted. */
    <T> T on(Callable<T> task) {
        if (loop.onLoop()) throw new IllegalStateException("on() from the loop itself would wait for itself; use sup.registry().apps()");
        var result = loop.call(task).join();
        host.settle();
        return result;
    }

    void onLoop(Runnable task) {
        on(() -> {
            task.run();
            return null;
        });
    }

    /** The worker states of an app's slots (serving workers), e.g. ["online", "waiting-restart"]. */
    List<String> states(String app) {
        return on(() -> sup.registry().apps().get(app).workers().stream().map(w -> w.state().label()).toList());
    }

    AppView view(String app) {
        return on(() -> Views.snapshot(sup.registry().apps().get(app)));
    }

    List<String> events(String app) {
        return store.events(app, 500).stream().map(e -> e.kind() + (e.detail() == null ? "" : ": " + e.detail())).toList();
    }

    boolean hasEvent(String app, String prefix) {
        return events(app).stream().anyMatch(e -> e.startsWith(prefix));
    }

    /** Begins a rolling reload of {@code app} on the loop; the outcome arrives in the returned reference. */
    AtomicReference<RollingReload.Outcome> reload(String app) {
        var outcome = new AtomicReference<RollingReload.Outcome>();
        var refusal = on(() -> sup.registry().apps().get(app).reload(null, outcome::set));
        if (refusal != null) throw new AssertionError("reload refused: " + refusal);
        return outcome;
    }

    @Override
    public void close() {
        loop.close();
        logs.close();
        store.close();
    }
}
