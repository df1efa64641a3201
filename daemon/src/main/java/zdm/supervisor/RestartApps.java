package zdm.supervisor;

import java.util.Map;
import java.util.function.Consumer;
import zdm.protocol.Response;

/** {@code zdm restart <app|all> [--update-env]}: every worker stopped and started again (not rolling). */
final class RestartApps {
    private RestartApps() {}

    /** {@code updateEnv}: the caller's environment over each app's own first (pm2's --update-env), or null. */
    static Response run(AppRegistry r, String target, Map<String, String> updateEnv, int uid, Consumer<String> progress) {
        return r.withTargets(target, progress,
                names -> r.loop().call(() -> ApplyPlan.wantRunning(r, names, updateEnv, "restart", uid, App::restart)).join(),
                names -> r.awaitThen(names, AppConditions::settled,
                AppRegistry.stopTimeout(r.specsOf(names)).plus(AppRegistry.settleTimeout(r.specsOf(names))), "restarted"));
    }
}
