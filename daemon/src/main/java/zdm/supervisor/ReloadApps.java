package zdm.supervisor;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import zdm.protocol.ErrorKind;
import zdm.protocol.Response;

/**
 * {@code zdm reload <app|all> [--update-env]} (and SIGHUP): a rolling reload of the target's apps, all at
 * once (each app replaces its own workers one batch at a time). Refused, before anything changes, if any
 * of them is stopped or already reloading.
 */
final class ReloadApps {
    private ReloadApps() {}

    /**
     * {@code updateEnv}: the caller's environment over each app's own first (pm2's --update-env), or null; a reload
     * that fails puts the previous environment back, as for a changed file.
     */
    static Response run(AppRegistry r, String target, Map<String, String> updateEnv, int uid, Consumer<String> progress) {
        var loop = r.loop();
        var apps = r.apps();
        var resolved = r.resolveOffLoop(target);
        if (resolved == null) return r.notFound(target);
        // Nothing would ever complete allDone below: 'reload all' (and SIGHUP) on an empty daemon answers now.
        if (resolved.isEmpty()) return new Response.Done("no apps to reload");
        // One-shot jobs that did their work have nothing to replace: skipped, and said so. And 'reload all', as
        // pm2's, reloads the apps a reload applies to: the stopped (or busy) ones are skipped and named.
        var finished = loop.call(() -> resolved.stream().filter(n -> AppConditions.finishedJob(apps.get(n))).toList()).join();
        var refused = !"all".equals(target) ? List.<String>of() : loop.call(() -> resolved.stream()
                .filter(n -> !finished.contains(n)).map(n -> AppConditions.reloadRefusal(apps.get(n)))
                .filter(Objects::nonNull).toList()).join();
        var names = loop.call(() -> resolved.stream().filter(n -> !finished.contains(n))
                .filter(n -> !"all".equals(target) || AppConditions.reloadRefusal(apps.get(n)) == null).toList()).join();
        String skipNote = (finished.isEmpty() ? "" : "; skipped " + String.join(", ", finished) + " (one-shot, finished)")
                + (refused.isEmpty() ? "" : "; skipped: " + String.join("; ", refused));
        if (names.isEmpty()) return new Response.Done("nothing to reload" + skipNote);
        try (var sub = r.subscribe(names, progress)) {
            var outcomes = new ConcurrentHashMap<String, RollingReload.Outcome>();
            var allDone = new CompletableFuture<Void>();
            var refusal = loop.<String>call(() -> {
                for (var n : names) {
                    var why = AppConditions.reloadRefusal(apps.get(n));
                    if (why != null) return why;
                }
                for (var n : names) {
                    var app = apps.get(n);
                    var envUpdate = EnvUpdate.of(app.spec(), updateEnv);
                    envUpdate.applyTo(r, app);
                    r.requested(n, "reload", envUpdate.detail(), uid);
                    Consumer<RollingReload.Outcome> report = o -> {
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
            if (!failed.isEmpty()) return failure(failed.getFirst().getKey(), failed.getFirst().getValue());
            long took = outcomes.values().stream().mapToLong(RollingReload.Outcome::tookMs).max().orElse(0);
            int replaced = outcomes.values().stream().mapToInt(RollingReload.Outcome::replaced).sum();
            return new Response.Apps(r.table(names),
                    "reloaded " + String.join(", ", names) + ": " + replaced + " worker(s) replaced in " + took + " ms" + skipNote);
        }
    }

    /** The answer for a reload that failed (also a changed file's, see {@link ApplySpecs}). */
    static Response failure(String app, RollingReload.Outcome o) {
        return new Response.Failed(ErrorKind.FAILED, "reload of " + app + " failed: " + o.failure()
                + "; " + o.replaced() + " of " + o.total() + " workers replaced, the others keep serving", o.failureLog());
    }
}
