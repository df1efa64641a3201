package zdm.supervisor;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import zdm.config.AppSpec;

/**
 * Replaces an app's workers a few at a time ({@code reload_parallel}) without dropping anything:
 * for each slot, start a replacement; once it is ready, it takes the slot (and the rotation) and
 * the old process drains and stops. A replacement that exits or misses its readiness deadline is
 * killed and the rollout stops: the slots not yet replaced keep their old, serving workers, so the
 * app never has fewer ready workers than before. Confined to the supervision loop.
 */
final class RollingReload {
    record Outcome(boolean ok, int replaced, int total, String failure, List<String> failureLog, long tookMs) {}

    private final App app;
    private final Consumer<Outcome> done;
    private final AppSpec rollbackTo;
    private final ArrayDeque<Integer> pending = new ArrayDeque<>();
    private final Map<Integer, Worker> candidates = new HashMap<>();
    private final Set<Worker> draining = new HashSet<>();
    private final long startedAtMs = System.currentTimeMillis();
    private int total;
    private int replaced;
    private String failure;
    private List<String> failureLog = List.of();
    private boolean finished;

    RollingReload(App app, AppSpec rollbackTo, Consumer<Outcome> done) {
        this.app = app;
        this.rollbackTo = rollbackTo;
        this.done = done;
    }

    long startedAtMs() { return startedAtMs; }

    void begin() {
        for (var w : app.workers()) if (!w.retiring()) pending.add(w.id);
        total = pending.size();
        app.ctx().event(app.name(), null, "reload-begin", total + " worker(s), " + app.spec().reloadParallel() + " at a time");
        next();
    }

    boolean isCandidate(Worker w) {
        return candidates.get(w.id) == w;
    }

    java.util.Collection<Worker> candidates() {
        return candidates.values();
    }

    Worker candidateOf(int id) {
        return candidates.get(id);
    }

    private void next() {
        while (failure == null && candidates.size() < app.spec().reloadParallel() && !pending.isEmpty()) {
            int id = pending.poll();
            var old = app.workers().stream().filter(w -> w.id == id).findFirst().orElse(null);
            if (old == null || old.retiring()) { total--; continue; }
            var candidate = new Worker(id);
            candidates.put(id, candidate); // before spawning, so the slot's record names it
            if (!app.spawn(candidate)) {
                candidates.remove(id);
                fail(id, "worker " + id + ": the replacement could not be started", List.of());
                return;
            }
        }
        maybeFinish();
    }

    void candidateReady(Worker c) {
        candidates.remove(c.id);
        var old = app.workers().stream().filter(w -> w.id == c.id).findFirst().orElseThrow();
        long oldPid = old.state().pid();
        if (old.state().hasProcess()) draining.add(old);
        app.replace(old, c);
        replaced++;
        app.ctx().event(app.name(), c.id, "replaced", "new pid " + c.state().pid() + " serving"
                + (oldPid != 0 ? ", old pid " + oldPid + " draining" : ""));
        next();
    }

    void candidateFailed(Worker c, String why) {
        if (!isCandidate(c)) return;
        candidates.remove(c.id);
        var log = lastLines(c);
        app.discard(c);
        fail(c.id, "worker " + c.id + ": new pid " + c.state().pid() + " " + why, log);
    }

    /** Stops the rollout; in-flight replacements are killed, slots not yet replaced keep their old worker. */
    private void fail(int id, String why, List<String> log) {
        if (failure == null) {
            failure = why;
            failureLog = log;
            app.ctx().event(app.name(), id, "reload-failed", why + "; " + replaced + " of " + total
                    + " replaced, the old workers keep serving");
        }
        pending.clear();
        for (var other : List.copyOf(candidates.values())) {
            candidates.remove(other.id);
            app.discard(other);
        }
        maybeFinish();
    }

    void abort(String why) {
        fail(-1, "reload interrupted: " + why, List.of());
    }

    void outgoingGone(Worker w) {
        draining.remove(w);
        maybeFinish();
    }

    private void maybeFinish() {
        if (finished || !pending.isEmpty() || !candidates.isEmpty() || !draining.isEmpty()) return;
        finished = true;
        long took = System.currentTimeMillis() - startedAtMs;
        if (failure != null && rollbackTo != null) {
            app.replaceSpec(rollbackTo);
            app.ctx().saveSpec(rollbackTo);
            app.ctx().event(app.name(), null, "config-rolled-back", "the previous configuration stays in force");
        }
        app.ctx().event(app.name(), null, failure == null ? "reload-end" : "reload-stopped",
                replaced + " of " + total + " worker(s) replaced in " + took + " ms");
        done.accept(new Outcome(failure == null, replaced, total, failure, failureLog, took));
    }

    /** The failed replacement's own last output lines, to show the user why it did not come up. */
    private List<String> lastLines(Worker c) {
        try {
            String since = zdm.proc.AppLogs.timestamp(Instant.ofEpochMilli(c.spawnedAtMs()));
            String tag = " " + app.name() + "[" + c.id + "] ";
            var mine = new ArrayList<String>();
            for (var e : app.ctx().logs().tail(app.name(), 200)) {
                if (e.line().contains(tag) && e.line().substring(0, Math.min(24, e.line().length())).compareTo(since) >= 0) mine.add(e.line());
            }
            return mine.subList(Math.max(0, mine.size() - 10), mine.size());
        } catch (java.io.IOException e) {
            return List.of();
        }
    }
}
