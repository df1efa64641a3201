package zdm.supervisor;

import java.util.function.Consumer;
import zdm.protocol.Response;

/** {@code zdm delete <app|all>}: a stop, then the app leaves the registry, the store and the metrics. */
final class DeleteApps {
    private DeleteApps() {}

    static Response run(AppRegistry r, String target, int uid, Consumer<String> progress) {
        var stopped = StopApps.run(r, target, uid, progress);
        if (stopped instanceof Response.Failed f) return f;
        var names = r.resolveOffLoop(target);
        r.loop().call(() -> {
            for (var n : names) {
                var app = r.apps().remove(n);
                if (app == null) continue;
                app.closeListener();
                app.closeTriggers();
                StopApps.saveOrWarn(() -> r.store().deleteApp(n), n + " is deleted now, but a daemon restart would bring it back", progress);
                r.dropCounters(n);
                r.requested(n, "deleted", null, uid);
            }
            return null;
        }).join();
        return new Response.Done("deleted " + String.join(", ", names));
    }
}
