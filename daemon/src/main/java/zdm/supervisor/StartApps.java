package zdm.supervisor;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import zdm.protocol.Response;

/**
 * {@code zdm start <app|all> [--update-env]} of apps already registered: their listeners open, then their workers
 * start. With {@code --update-env}, a running app whose environment changes is reloaded with it first.
 */
final class StartApps {
    private StartApps() {}

    /**
     * {@code updateEnv}: the caller's environment over each app's own (pm2's {@code start --update-env}), or null. A
     * stopped app starts with it; a running app whose environment changes gets it by a zero-downtime reload, as for a
     * changed file.
     */
    static Response run(AppRegistry r, String target, Map<String, String> updateEnv, int uid, Consumer<String> progress) {
        var apps = r.apps();
        if (updateEnv != null) {
            var running = r.loop().call(() -> {
                var names = r.resolve(target);
                return names == null ? List.<String>of() : names.stream().filter(n -> AppConditions.reloadRefusal(apps.get(n)) == null
                        && EnvUpdate.of(apps.get(n).spec(), updateEnv).previous() != null).toList();
            }).join();
            for (var n : running) {
                if (ReloadApps.run(r, n, updateEnv, uid, progress) instanceof Response.Failed failed) return failed;
            }
        }
        return r.withTargets(target, progress,
                names -> r.loop().call(() -> ApplyPlan.wantRunning(r, names, updateEnv, "start", uid, App::start)).join(),
                names -> r.awaitThen(names, AppConditions::settled, AppRegistry.settleTimeout(r.specsOf(names)), "started"));
    }
}
