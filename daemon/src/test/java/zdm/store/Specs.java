package zdm.store;

import java.util.List;
import java.util.Map;
import zdm.config.AppSpec;

/** Test specs with every field set to something distinguishable. */
final class Specs {
    private Specs() {}

    static AppSpec app(String name) {
        return app(name, 2);
    }

    static AppSpec app(String name, int instances) {
        return AppSpec.builder(name, List.of("/usr/bin/node", "server.js", "--name=" + name)).cwd("/srv/" + name)
                .env(Map.of("NODE_ENV", "production", "SECRET", "s3cr\"et\n")).instances(instances).port(8080)
                .maxRestarts(15).maxMemoryBytes(512L << 20).source("/srv/ecosystem.yaml").build();
    }

    static WorkerRecord worker(String app, int id) {
        return new WorkerRecord(app, id, 40_000 + id, 1_700_000_000_000L + id, "online", id, null, null);
    }
}
