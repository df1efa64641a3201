package zdm.supervisor;

import java.util.function.Consumer;
import zdm.protocol.ErrorKind;
import zdm.protocol.Response;

/** {@code zdm scale <app> <n>}: the new count is saved, then workers are added or retired. */
final class ScaleApp {
    private ScaleApp() {}

    static Response run(AppRegistry r, String name, int instances, int uid, Consumer<String> progress) {
        if ("all".equals(name)) return Response.Failed.of(ErrorKind.BAD_REQUEST, "scale takes one app name, not 'all'");
        return r.withTargets(name, progress, names -> r.loop().<Response>call(() -> {
            var app = r.apps().get(name);
            r.store().putApp(app.spec().withInstances(instances), app.desiredRunning());
            r.requested(name, "scale", app.spec().instances() + " -> " + instances, uid);
            app.guard(() -> app.scale(instances));
            return null;
        }).join(), names -> r.awaitThen(names, a -> AppConditions.settled(a) && a.workers().stream().noneMatch(Worker::retiring),
                AppRegistry.stopTimeout(r.specsOf(names)).plus(AppRegistry.settleTimeout(r.specsOf(names))), "scaled"));
    }
}
