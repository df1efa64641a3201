package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** pm2's instance_var (the worker's index under another name) and increment_var (a variable counted up per worker). */
class WorkerVarsConfigTest extends EcoDirTest {
    @BeforeEach
    void setUp() {
        eco.script("app.js");
    }

    private EcoDir with(String... extraLines) {
        var lines = new java.util.ArrayList<>(List.of("apps:", "  - name: web", "    script: app.js", "    instances: 2"));
        lines.addAll(List.of(extraLines));
        return eco.yaml(lines.toArray(String[]::new));
    }

    /** What worker {@code id} gets from these keys, its environment being the app's. */
    private static Map<String, String> vars(AppSpec app, int id) {
        return app.process().workerVars(id, app.process().fullEnv());
    }

    @Test
    void theIndexIsNodeAppInstanceUnlessInstanceVarNamesAnother() {
        assertEquals(Map.of("NODE_APP_INSTANCE", "1"), vars(with().app(), 1));
        assertEquals(Map.of("INSTANCE_ID", "1"), vars(with("    instance_var: INSTANCE_ID").app(), 1),
                "renamed, as pm2 does for node-config: NODE_APP_INSTANCE is not set then");
        assertEquals(Map.of("NODE_APP_INSTANCE", "0"), vars(with("    instance_var: NODE_APP_INSTANCE").app(), 0));
    }

    @Test
    void incrementVarIsItsEnvValuePlusTheWorkersIndexCountingFromZeroWithoutOne() {
        var app = with("    increment_var: API_PORT", "    env: { API_PORT: 5000 }").app();
        assertEquals(List.of("5000", "5001"), List.of(vars(app, 0).get("API_PORT"), vars(app, 1).get("API_PORT")));
        assertEquals("3", vars(with("    increment_var: SHARD").app(), 3).get("SHARD"), "pm2 counts from 0");
        var fromCaller = with("    increment_var: SHARD").app().toBuilder().callerEnv(Map.of("SHARD", "10")).build();
        assertEquals("11", vars(fromCaller, 1).get("SHARD"), "the base may come from the caller's environment, as in pm2");
    }

    @Test
    void aNodeAppWithIncrementVarAndNoPortListensOnPortsOfItsOwnSoNothingIsLearned() {
        var own = with("    increment_var: PORT", "    env: { PORT: 9000 }").app();
        assertEquals(List.of(Listen.PROXY, false), List.of(own.network().listen(), own.network().learnsPort()));
        assertEquals(List.of("9000", "9001"), List.of(vars(own, 0).get("PORT"), vars(own, 1).get("PORT")));
        var shared = with("    increment_var: SHARD", "    port: 3000").app();
        assertEquals(Listen.SOCKET, shared.network().listen(), "with a port, the workers share it as usual");
    }

    @Test
    void mistakesAreOneLineEachNamingTheFix() {
        assertEquals(List.of("eco:5:20: apps[0].increment_var: PORT is each worker's private port, which zdm sets (port: is the"
                + " one all workers share); remove increment_var, or count another variable"),
                with("    increment_var: PORT", "    port: 3000").errors());
        assertEquals(List.of("eco:5:20: apps[0].increment_var: counts up from env.API_PORT, which must be a whole number, got \"x1\""),
                with("    increment_var: API_PORT", "    env: { API_PORT: x1 }").errors());
        assertEquals(List.of("eco:5:19: apps[0].instance_var: env sets INSTANCE_ID too, and zdm sets it to each worker's index;"
                + " remove it from env"), with("    instance_var: INSTANCE_ID", "    env: { INSTANCE_ID: 7 }").errors());
        assertEquals(List.of("eco:6:20: apps[0].increment_var: ID is also instance_var (the worker's index); count another variable"),
                with("    instance_var: ID", "    increment_var: ID").errors());
        assertEquals(List.of("eco:5:19: apps[0].instance_var: ZDM_WORKER_ID is zdm's: zdm sets it to the worker's index"),
                with("    instance_var: ZDM_WORKER_ID").errors());
        assertEquals(List.of("eco:5:20: apps[0].increment_var: invalid variable name \"api-port\": use letters, digits and '_',"
                + " not starting with a digit"), with("    increment_var: api-port").errors());
    }

    /** pm2's increment_var: PORT beside env.PORT: the port is read as the shared port:, so there is nothing to count. */
    @Test
    void aPm2FileCountingPortUpSharesThePortInstead() throws Exception {
        var result = EcosystemLoader.loadFile(Files.writeString(tmp.resolve("ecosystem.json"), """
                {"apps": [{"name": "web", "script": "app.js", "instances": 2, "exec_mode": "cluster",
                           "increment_var": "PORT", "env": {"PORT": 9000}}]}
                """));
        var loaded = assertInstanceOf(LoadResult.Loaded.class, result);
        var app = loaded.apps().getFirst();
        assertEquals(List.of(9000, Listen.SOCKET), List.of(app.network().port(), app.network().listen()));
        assertEquals(null, app.process().incrementVar());
        assertEquals(true, loaded.warnings().stream().anyMatch(w -> w.endsWith("apps[0].increment_var: ignored; every worker"
                + " serves port 9000 (env.PORT read as port:), so no worker needs a port of its own")), loaded.warnings().toString());
    }
}
