package zdm.supervisor;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import zdm.log.DaemonLog;
import zdm.protocol.Response;
import zdm.store.StoreException;

/** {@code zdm stop <app|all>}: the desired state is saved (or a warning says it could not be), then the workers stop. */
final class StopApps {
    private StopApps() {}

    static Response run(AppRegistry r, String target, int uid, Consumer<String> progress) {
        // 'stop all', as pm2's: the apps already stopped are left alone and named
        var skipped = !"all".equals(target) ? List.<String>of() : r.loop().call(() -> r.apps().entrySet().stream()
                .filter(e -> !e.getValue().desiredRunning() && AppConditions.allStopped(e.getValue())).map(Map.Entry::getKey).sorted()
                .toList()).join();
        if (skipped.isEmpty()) return stopNow(r, target, uid, progress, List.of());
        String note = "skipped: " + String.join(", ", skipped) + " (already stopped)";
        if (skipped.size() == r.names().size()) return new Response.Done("nothing to stop; " + note);
        return switch (stopNow(r, target, uid, progress, skipped)) {
            case Response.Apps a -> new Response.Apps(a.apps(), a.message() + "; " + note);
            case Response other -> other;
        };
    }

    private static Response stopNow(AppRegistry r, String target, int uid, Consumer<String> progress, List<String> skipped) {
        var apps = r.apps();
        return r.withTargets(target, progress, all -> r.loop().<Response>call(() -> {
            for (var n : all) {
                if (skipped.contains(n)) continue;
                saveOrWarn(() -> r.store().setDesired(n, false), n + " is stopped now, but a daemon restart would start it again", progress);
                r.requested(n, "stop", null, uid);
                var app = apps.get(n);
                app.guard(() -> app.stop(false));
            }
            return null;
        }).join(), all -> {
            var names = all.stream().filter(n -> !skipped.contains(n)).toList();
            return r.awaitThen(names, AppConditions::allStopped, AppRegistry.stopTimeout(r.specsOf(names)), "stopped");
        });
    }

    /**
     * Stop and delete are saved before they act, but never refused for want of disk: a full or read-only store
     * must not keep an app running (it may be what fills the disk). They act anyway, and the client is told.
     */
    static void saveOrWarn(Runnable storeWrite, String consequence, Consumer<String> progress) {
        try {
            storeWrite.run();
        } catch (StoreException e) {
            String line = "warning: " + e.getMessage() + "; " + consequence;
            DaemonLog.warn(line);
            progress.accept(line);
        }
    }
}
