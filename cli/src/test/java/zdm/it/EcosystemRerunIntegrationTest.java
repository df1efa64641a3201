package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.test.Await;

/**
 * {@code zdm start <file>} again: only changed apps are replaced, apps gone from the file stay unless
 * {@code --prune}; {@code --env} picks env_<name> blocks; a pm2 ecosystem.config.js starts like YAML.
 */
@ExtendWith(ZdmHomes.class)
class EcosystemRerunIntegrationTest {
    ZdmHome z;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
    }

    private static String app(String name, String extra) {
        return """
                  - name: %s
                    command: sleep 1000
                    min_uptime: 200ms
                    env: { ZDM_TEST_TAG: ${TAG}, MODE: dev }
                %s""".formatted(name, extra);
    }

    private Map<String, String> env(String app) {
        return ((Response.Described) z.request(new Request.Describe(app))).app().spec().env();
    }

    @Test
    void rerunReplacesOnlyChangedAppsAndPrunesOnlyWhenAsked() throws Exception {
        z.ecosystem("apps:\n" + app("a", "    env_production: { MODE: prod }\n") + app("b", "") + app("c", ""));
        var first = z.ok("start", "ecosystem.yaml", "--env", "production");
        assertTrue(first.out().contains("started a, b, c"), first.toString());
        assertEquals("prod", env("a").get("MODE"));
        assertEquals("dev", env("b").get("MODE"), "b has no env_production: its env stays");
        long a = z.pids("a").getFirst();
        long b = z.pids("b").getFirst();
        long c = z.pids("c").getFirst();

        // b changes, c leaves the file, a stays as it was.
        z.ecosystem("apps:\n" + app("a", "    env_production: { MODE: prod }\n")
                + app("b", "    kill_timeout: 2s\n"));
        var rerun = z.ok("start", "ecosystem.yaml", "--env", "production");
        assertTrue(rerun.out().contains("c is no longer in " + z.dir.resolve("ecosystem.yaml")
                + "; left alone (start with --prune to delete it)"), rerun.toString());
        assertEquals(List.of(a), z.pids("a"), "unchanged: the same process");
        assertNotEquals(List.of(b), z.pids("b"), "changed: reloaded into a new process");
        assertEquals(List.of(c), z.pids("c"), "gone from the file, but not pruned: still running");

        // Without --env the env_production block no longer applies: a changes, and c is pruned.
        var pruned = z.ok("start", "ecosystem.yaml", "--prune");
        assertTrue(pruned.out().contains("pruned c"), pruned.toString());
        assertEquals("dev", env("a").get("MODE"));
        assertNotEquals(List.of(a), z.pids("a"));
        assertEquals(List.of("a", "b"), z.apps().stream().map(v -> v.name()).toList());
        Await.until(ZdmHome.SHORT, () -> !ZdmHome.alive(c), "the pruned app's process is gone");

        var typo = z.zdm("start", "ecosystem.yaml", "--env", "prod");
        assertEquals(2, typo.exitCode(), typo.toString());
        assertTrue(typo.err().contains("--env prod: no app has env_prod: the file has env_production"), typo.toString());
    }

    @Test
    void aPm2ConfigJsStartsWithWarningsForWhatIsIgnored() throws Exception {
        z.file("ecosystem.config.js", """
                module.exports = {
                  apps: [{
                    name: 'jobs',
                    script: 'sleep',
                    args: '1000',
                    exec_mode: 'cluster',
                    namespace: 'backend',
                    instances: 2,
                    min_uptime: 200,
                    env: { ZDM_TEST_TAG: '%s' },
                    env_production: { QUEUE: 'high' },
                  }],
                };
                """.formatted(z.tag));
        var r = z.ok("start", "ecosystem.config.js", "--env", "production");
        assertTrue(r.out().contains("ecosystem.config.js: apps[0].namespace: ignored; zdm has no namespaces"), r.toString());
        // exec_mode is read, not ignored: cluster is listen: auto (a Node app shares the port's socket).
        assertTrue(r.out().contains("ecosystem.config.js: apps[0].exec_mode: read as listen: auto"), r.toString());
        assertTrue(r.out().startsWith("warning: "), "warnings come first: " + r);
        assertTrue(r.out().contains("run as command: sleep"), r.toString());
        assertEquals(2, z.pids("jobs").size());
        assertEquals("high", env("jobs").get("QUEUE"));
    }

    @Test
    void withoutNodeAJsFileGetsOneClearLine() throws Exception {
        z.file("ecosystem.config.js", "module.exports = { apps: [] };\n");
        z.env.put("PATH", z.dir.resolve("empty-path").toString()); // no node (and no daemon needed: export)
        var r = z.zdm("export", "k8s", "ecosystem.config.js");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("zdm: ecosystem.config.js: reading a .js ecosystem file needs node, which is not installed"
                + " (or not on PATH); install node, or write the file as ecosystem.json or YAML\n", r.err());
    }
}
