package zdm.supervisor;

import java.util.Map;
import java.util.function.Consumer;
import zdm.protocol.Response;

/** {@code zdm restart <app|all> [--update-env]}: every worker stopped and started again (not rolling). */
final class RestartApps {
    private RestartApps() {}

    /** {@code updateEnv}: the caller's environment over each app's own first (pm2's --update-env), or null. */
    static Response run(AppRegistry r, String target, Map<String, String> updateEnv, int uid, Consumer<String> progress) {
        var apps = r.apps();
        return r.withTargets(target, progress, names -> r.loop().<Response>call(() -> {
            var failure = ApplyPlan.openAndWant(r, names);
            if (failure != null) return failure;
            for (var n : names) {
                var envUpdate = EnvUpdate.of(apps.get(n).spec(), updateEnv);
                envUpdate.applyTo(r, apps.get(n));
                r.requested(n, "restart", envUpdate.detail(), uid);
                var app = apps.get(n);
                app.guard(app::restart);
            }
            return null;
        }).join(), names -> r.awaitThen(names, App::settled,
                AppRegistry.stopTimeout(r.specsOf(names)).plus(AppRegistry.settleTimeout(r.specsOf(names))), "restarted"));
    }
}
