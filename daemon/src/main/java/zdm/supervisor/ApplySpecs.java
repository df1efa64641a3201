package zdm.supervisor;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import zdm.config.AppSpec;
import zdm.protocol.Response;

/**
 * {@code zdm start <file>} (and {@code zdm run}, an inline start): registers or updates the specs through
 * {@link ApplyPlan}, then waits until every app settled (a changed app's rolling reload included).
 */
final class ApplySpecs {
    private ApplySpecs() {}

    static Response run(AppRegistry r, List<AppSpec> specs, int uid, Consumer<String> progress) {
        var names = specs.stream().map(AppSpec::name).toList();
        try (var sub = r.subscribe(names, progress)) {
            var reloads = new ConcurrentHashMap<String, RollingReload.Outcome>();
            var planned = r.loop().call(() -> ApplyPlan.execute(r, specs, uid, reloads)).join();
            if (planned instanceof Response.Failed f) return f;
            var answer = r.awaitThen(names, AppConditions::settled,
                    AppRegistry.stopTimeout(specs).plus(AppRegistry.settleTimeout(specs)), "started");
            // settled() includes "no reload running", so every reload has reported by now.
            return reloads.entrySet().stream().filter(e -> !e.getValue().ok()).findFirst()
                    .<Response>map(e -> ReloadApps.failure(e.getKey(), e.getValue())).orElse(answer);
        }
    }
}
