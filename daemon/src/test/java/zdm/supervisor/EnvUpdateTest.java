package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zdm.config.AppSpec;

/**
 * The caller's environment as pm2 passes it: beneath the file's {@code env} on a plain {@code zdm start file}, over it
 * with {@code --update-env}; names zdm sets for each worker (or that are not names at all) are never taken.
 */
class EnvUpdateTest {
    private static final AppSpec WEB = SupervisorFixture.spec("web").env(Map.of("GREETING", "hello")).build();

    private static Map<String, String> caller(String... pairs) {
        var env = new HashMap<String, String>();
        for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
        return env;
    }

    @Test
    void aPlainStartKeepsTheCallersVariablesBeneathTheFile() {
        var spec = EnvUpdate.beneath(WEB, caller("GREETING", "hi", "LANG", "C.UTF-8"));
        assertEquals(Map.of("GREETING", "hi", "LANG", "C.UTF-8"), spec.process().callerEnv());
        assertEquals(Map.of("GREETING", "hello"), spec.process().env(), "the file's env is left as written (it wins)");
    }

    @Test
    void withoutACallersEnvironmentTheSpecIsUnchanged() {
        assertSame(WEB, EnvUpdate.beneath(WEB, null));
    }

    @Test
    void namesZdmSetsPerWorkerAndWhatIsNoNameAreNeverTaken() {
        var env = caller("ZDM_APP", "x", "NODE_APP_INSTANCE", "9", "NOTIFY_SOCKET", "/x", "LISTEN_FDS", "3", "WATCHDOG_USEC", "1",
                "1ST", "x", "A-B", "x", "", "x", "OK_1", "yes");
        env.put("UNSET", null);
        assertEquals(Map.of("OK_1", "yes"), EnvUpdate.beneath(WEB, env).process().callerEnv());
        assertEquals(List.of("OK_1"), EnvUpdate.of(WEB, env).changed());
    }

    @Test
    void theInstanceVariableAndAPortAppsPortAreNotTaken() {
        var counted = SupervisorFixture.spec("web").instanceVar("INSTANCE_ID").build();
        assertEquals(Map.of("PORT", "8080"), EnvUpdate.beneath(counted, caller("INSTANCE_ID", "7", "PORT", "8080")).process().callerEnv());
        var withPort = SupervisorFixture.spec("web").port(3000).build();
        assertEquals(Map.of(), EnvUpdate.beneath(withPort, caller("PORT", "8080")).process().callerEnv(), "zdm gives each worker its own");
    }

    @Test
    void updateEnvGoesOverTheAppsEnvAndNamesWhatChanged() {
        var update = EnvUpdate.of(WEB, caller("LANG", "C.UTF-8", "GREETING", "hi", "TERM", "xterm"));
        assertEquals(Map.of("GREETING", "hi", "LANG", "C.UTF-8", "TERM", "xterm"), update.next().process().env());
        assertSame(WEB, update.previous());
        assertEquals(List.of("GREETING", "LANG", "TERM"), update.changed(), "sorted");
        assertEquals("--update-env: 3 variable(s) changed: GREETING, LANG, TERM", update.detail());
    }

    @Test
    void anUnchangedEnvironmentIsNoUpdate() {
        var update = EnvUpdate.of(WEB, caller("GREETING", "hello"));
        assertSame(WEB, update.next());
        assertNull(update.previous());
        assertEquals(List.of(), update.changed());
        assertNull(update.detail());
    }

    @Test
    void withoutUpdateEnvTheAppKeepsItsEnvironment() {
        var update = EnvUpdate.of(WEB, null);
        assertSame(WEB, update.next());
        assertNull(update.previous());
        assertNull(update.detail());
    }
}
