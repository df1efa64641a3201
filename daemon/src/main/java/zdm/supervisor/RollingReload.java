package zdm.supervisor;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import zdm.config.AppSpec;
import zdm.proc.AppLogs;
import zdm.proc.ExitStatus;

/**
 * Replaces some of an app's workers a few at a time ({@code reload_parallel} starting at once) without
 * dropping anything: for each slot, start a candidate beside the serving worker; once it is ready it
 * joins the rotation (and the next candidate starts), and once it has also stayed up for the
 * stability window ({@code min_ready_time}) it takes the slot and the old worker drains and stops. A candidate that exits, or misses its
 * readiness deadline, fails the whole rollout, and so does any worker this rollout put in place
 * that exits before the rollout ends: the slots not yet replaced keep their old workers (they were
 * never retired), a crashed new worker's slot restarts like after any crash (with the previous
 * config, which is put back at once when a config change caused the reload). A rolling reload of
 * every slot is {@code zdm reload}; of one slot, the replacement of a worker over its memory limit.
 * Confined to the supervision loop.
 */
final class RollingReload {
    record Outcome(boolean ok, int replaced, int total, String failure, List<String> failureLog, long tookMs) {}

    private final App app;
    private final AppSpec rollbackTo;
    /** "reload" (every slot, asked for) or "replace" (one slot, by the memory limit): the events' prefix. */
    private final String kind;
    private final ArrayDeque<Integer> pending = new ArrayDeque<>();
    private final Map<Integer, Worker> candidates = new HashMap<>();
    /** Old workers this rollout retired (and candidates it discarded) that are still on their way out. */
    private final Set<Worker> leaving = new HashSet<>();
    /** The candidates that took their slot: an exit of one while the rollout runs fails it. */
    private final Set<Worker> placed = new HashSet<>();
    private final long startedAtMs;
    private Consumer<Outcome> done;
    private int total;
    private int replaced;
    private String failure;
    private List<String> failureLog = List.of();
    private boolean finished;

    RollingReload(App app, AppSpec rollbackTo, List<Integer> slots, String kind) {
        this.app = app;
        this.rollbackTo = rollbackTo;
        this.kind = kind;
        this.startedAtMs = app.host().nowMs();
        pending.addAll(slots);
        total = slots.size();
    }

    long startedAtMs() { return startedAtMs; }
    boolean isReload() { return kind.equals("reload"); }

    void begin(Consumer<Outcome> whenDone) {
        done = whenDone;
        app.ctx().event(app.name(), null, kind + "-begin", total + " worker(s), " + app.spec().reload().reloadParallel()
                + " at a time, each stable for " + window().toMillis() + " ms before its old worker is retired");
        next();
    }

    Collection<Worker> candidates() {
        return candidates.values();
    }

    Worker candidateOf(int id) {
        return candidates.get(id);
    }

    private Duration window() {
        return Duration.ofMillis(app.spec().reload().minReadyMs());
    }

    /**
     * Starts candidates while fewer than {@code reload_parallel} are still on their way to ready. A candidate in its
     * stability window does not hold the next one back (the windows overlap, so a reload of n workers takes n starts
     * and about one window, not n windows); its old worker serves until it is stable all the same.
     */
    private void next() {
        while (failure == null && notYetReady() < app.spec().reload().reloadParallel() && !pending.isEmpty()) {
            int id = pending.poll();
            var old = app.serving(id);
            if (old == null || old.retiring()) { total--; continue; }
            var candidate = new Worker(id, Worker.Role.CANDIDATE);
            candidates.put(id, candidate); // before spawning, so the slot's record names it
            String why = WorkerStarts.spawn(app, candidate);
            if (why != null) {
                candidates.remove(id);
                fail(id, "worker " + id + ": the replacement could not be started: " + why, List.of());
                return;
            }
        }
        maybeFinish();
    }

    private long notYetReady() {
        return candidates.values().stream().filter(c -> !(c.state() instanceof WorkerState.Online)).count();
    }

    /** The candidate passed its readiness check (and is in the rotation): it takes the slot once the window passed. */
    void candidateReady(Worker c) {
        if (candidates.get(c.id) != c) return;
        int gen = c.generation();
        if (window().isZero()) {
            stable(c);
            return;
        }
        app.schedule(window(), () -> {
            if (candidates.get(c.id) == c && c.generation() == gen && c.state() instanceof WorkerState.Online) stable(c);
        });
        next();
    }

    private void stable(Worker c) {
        candidates.remove(c.id);
        var old = app.serving(c.id);
        // The slot went away meanwhile (scaled down), or is going (its old worker still stopping): no place for the
        // candidate. Taking it would keep a slot the scale removed, and start a second stop of the old worker.
        if (old == null || old.retiring()) {
            SlotHandover.discard(app, c);
            leaving.add(c);
            next();
            return;
        }
        long oldPid = old.state().pid();
        if (old.state().hasProcess()) leaving.add(old);
        SlotHandover.replace(app, old, c);
        placed.add(c);
        replaced++;
        app.ctx().event(app.name(), c.id, "replaced", "new pid " + c.state().pid() + " serving, stable for "
                + window().toMillis() + " ms" + (oldPid != 0 ? "; old pid " + oldPid + " draining" : ""));
        next();
    }

    /** The candidate missed its readiness deadline. */
    void candidateFailed(Worker c, String why) {
        if (candidates.get(c.id) != c) return;
        candidates.remove(c.id);
        var log = lastLines(c);
        long pid = c.state().pid();
        SlotHandover.discard(app, c);
        leaving.add(c);
        fail(c.id, "worker " + c.id + ": new pid " + pid + " " + why, log);
    }

    /** The candidate exited by itself: before it was ready, or within its stability window. */
    void candidateExited(Worker c, ExitStatus status, long uptimeMs) {
        if (candidates.get(c.id) != c) return;
        candidates.remove(c.id);
        fail(c.id, "worker " + c.id + ": new pid " + c.identity().pid() + " exited (" + status.describe() + ") after "
                + uptimeMs + " ms, before it was ready and stable for min_ready_time " + window().toMillis() + " ms",
                lastLines(c));
    }

    /** A serving worker exited unasked: if this rollout put it there, the new version did not hold. */
    void servingExited(Worker w, ExitStatus status, long uptimeMs) {
        if (!placed.remove(w)) return;
        fail(w.id, "worker " + w.id + ": new pid " + w.identity().pid() + " exited (" + status.describe() + ") after "
                + uptimeMs + " ms, while the " + kind + " was still running", lastLines(w));
    }

    /** Stops the rollout; in-flight candidates are stopped, slots not yet replaced keep their old worker. */
    private void fail(int id, String why, List<String> log) {
        if (failure == null) {
            failure = why;
            failureLog = log;
            app.ctx().event(app.name(), id < 0 ? null : id, kind + "-failed", why + "; " + replaced + " of " + total
                    + " replaced, the old workers keep serving");
            if (rollbackTo != null) { // at once: a crashed new worker restarts with the configuration that worked
                app.replaceSpec(rollbackTo);
                app.ctx().saveSpec(rollbackTo);
                app.ctx().event(app.name(), null, "config-rolled-back", "the previous configuration stays in force");
            }
        }
        pending.clear();
        for (var other : List.copyOf(candidates.values())) {
            candidates.remove(other.id);
            SlotHandover.discard(app, other);
            leaving.add(other);
        }
        maybeFinish();
    }

    void abort(String why) {
        fail(-1, kind + " interrupted: " + why, List.of());
    }

    /** The app gave up on this rollout (it is errored): report the failure now, nothing is left to wait for. */
    void abandon(String why) {
        pending.clear();
        candidates.clear();
        leaving.clear();
        if (failure == null) {
            failure = why;
            failureLog = List.of();
        }
        maybeFinish();
    }

    void outgoingGone(Worker w) {
        leaving.remove(w);
        maybeFinish();
    }

    private void maybeFinish() {
        if (finished || !pending.isEmpty() || !candidates.isEmpty() || !leaving.isEmpty()) return;
        finished = true;
        long took = app.host().nowMs() - startedAtMs;
        app.ctx().event(app.name(), null, failure == null ? kind + "-end" : kind + "-stopped",
                replaced + " of " + total + " worker(s) replaced in " + took + " ms");
        done.accept(new Outcome(failure == null, replaced, total, failure, failureLog, took));
    }

    /** The failed worker's own last output lines (stdout and stderr), to show the user why it did not hold. */
    private List<String> lastLines(Worker c) {
        try {
            String since = AppLogs.timestamp(Instant.ofEpochMilli(c.spawnedAtWallMs()));
            String tag = " " + app.name() + "[" + c.id + "] ";
            var mine = new ArrayList<String>();
            for (var e : app.ctx().logs().tail(app.name(), 200)) {
                if (e.line().contains(tag) && e.line().substring(0, Math.min(24, e.line().length())).compareTo(since) >= 0) mine.add(e.line());
            }
            return mine.subList(Math.max(0, mine.size() - 10), mine.size());
        } catch (IOException e) {
            return List.of();
        }
    }
}
