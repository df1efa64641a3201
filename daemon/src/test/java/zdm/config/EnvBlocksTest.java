package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** env_<name> blocks: merged over env when chosen with --env, validated always, an unknown name refused. */
class EnvBlocksTest extends EcoDirTest {
    @BeforeEach
    void setUp() {
        eco.script("app.js");
        eco.yaml("apps:",
                "  - name: web",
                "    script: app.js",
                "    env: {NODE_ENV: development, KEEP: 1}",
                "    env_production: {NODE_ENV: production, EXTRA: yes-please}",
                "  - name: jobs",
                "    script: app.js",
                "    env_staging:",
                "      QUEUE: staging");
    }

    private List<AppSpec> load(String env) {
        var r = assertInstanceOf(LoadResult.Loaded.class, EcosystemLoader.loadFile(eco.file, env));
        return r.apps();
    }

    @Test
    void withoutEnvOnlyEnvApplies() {
        var apps = load(null);
        assertEquals(Map.of("NODE_ENV", "development", "KEEP", "1"), apps.get(0).process().env());
        assertEquals(Map.of(), apps.get(1).process().env());
    }

    @Test
    void theChosenBlockIsMergedOverEnvAndAppsWithoutItKeepTheirEnv() {
        var apps = load("production");
        assertEquals(Map.of("NODE_ENV", "production", "KEEP", "1", "EXTRA", "yes-please"), apps.get(0).process().env());
        assertEquals(Map.of(), apps.get(1).process().env(), "jobs has no env_production");
        assertEquals(Map.of("QUEUE", "staging"), load("staging").get(1).process().env(), "a block without env: is the env");
    }

    @Test
    void anUnknownEnvironmentIsAnErrorNamingTheOnesThatExist() {
        var r = assertInstanceOf(LoadResult.Invalid.class, EcosystemLoader.loadFile(eco.file, "prod"));
        assertEquals(List.of("ecosystem.yaml: --env prod: no app has env_prod: the file has env_production, env_staging"),
                r.errors().stream().map(e -> e.format().replace(eco.dir + "/", "")).toList());
    }

    @Test
    void aBadBlockIsReportedWithItsPositionEvenWhenNotChosen() {
        eco.yaml("apps:",
                "  - name: web",
                "    script: app.js",
                "    env_production:",
                "      9LIVES: x",
                "    env_test: [a]");
        assertEquals(List.of(
                "eco:5:7: apps[0].env_production.9LIVES: invalid variable name: use letters, digits and '_', not starting with a digit",
                "eco:6:15: apps[0].env_test: expected a mapping of variable names to values, got a list"), eco.errors());
    }

    @Test
    void aChangedEnvironmentChangesTheSpecSoTheAppIsReloaded() {
        var dev = load(null).get(0);
        var prod = load("production").get(0);
        assertEquals(false, dev.equals(prod));
        assertEquals(load("production").get(0), prod, "the same file and env give an equal spec: nothing to reload");
    }

    /** An app written as something else than a mapping passes through the blocks' reading to its own error. */
    @Test
    void anAppThatIsNotAMappingIsOneError() {
        eco.yaml("apps:", "  - web");
        assertEquals(List.of("eco:2:5: apps[0]: expected a mapping of app keys (name:, script:, ...), got \"web\""), eco.errors());
    }
}
