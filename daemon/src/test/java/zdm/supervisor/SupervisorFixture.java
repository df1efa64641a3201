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

    /**
     * Whether {@code app} recorded {@code event}: a kind alone ({@code "reload"}) matches that kind exactly,
     * whatever its detail, and not {@code "reload-begin"}; a kind and its detail ({@code "scale: 2 -> 3"})
     * match only that exact text. A prefix would pass vacuously: {@code "start"} would match {@code "started"}.
     */
    boolean hasEvent(String app, String event) {
        var wanted = Event.of(event);
        return records(app).anyMatch(e -> e.kind().equals(wanted.kind()) && (wanted.detail() == null || wanted.detail().equals(e.detail())));
    }

    /**
     * Whether {@code app} recorded an event of exactly the kind before the first ": " of {@code event} whose detail
     * begins with the rest: for a detail with a part the test cannot know (a duration, a pid, an OS message).
     */
    boolean hasEventStarting(String app, String event) {
        var wanted = Event.of(event);
        if (wanted.detail() == null) throw new IllegalArgumentException("give the kind and the detail's beginning: " + event);
        return records(app).anyMatch(e -> e.kind().equals(wanted.kind()) && e.detail() != null && e.detail().startsWith(wanted.detail()));
    }

    private java.util.stream.Stream<Event> records(String app) {
        return store.events(app, 500).stream().map(e -> new Event(e.kind(), e.detail()));
    }

    /** An event as the tests write it, "kind" or "kind: detail" (a kind has no ": "). */
    private record Event(String kind, String detail) {
        static Event of(String text) {
            int colon = text.indexOf(": ");
            return colon < 0 ? new Event(text, null) : new Event(text.substring(0, colon), text.substring(colon + 2));
        }
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
