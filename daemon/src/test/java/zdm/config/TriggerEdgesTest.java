package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The value forms of cron_restart, watch, ignore_watch and stop_exit_codes that pm2 files write, read
 * from YAML (the pm2 tests read them through node). Written against PIT's survivors in TriggerReaders.
 */
class TriggerEdgesTest extends EcoDirTest {
    @BeforeEach
    void setUp() {
        eco.script("app.js");
        eco.mkdir("lib");
    }

    /** Lines 4 on are {@code lines}. */
    private AppSpec appWith(String... lines) {
        var all = new ArrayList<>(List.of("apps:", "  - name: web", "    script: app.js"));
        for (var l : lines) all.add("    " + l);
        eco.yaml(all.toArray(String[]::new));
        return eco.app();
    }

    private List<String> errorsWith(String line) {
        eco.yaml("apps:", "  - name: web", "    script: app.js", "    " + line);
        return eco.errors();
    }

    @Test
    void cronRestartZeroWrittenAsAStringWithSpacesIsNone() {
        assertNull(appWith("cron_restart: \" 0 \"").reload().cronRestart());
    }

    @Test
    void watchWrittenAsAQuotedBooleanIsThatBoolean() {
        assertEquals(appWith("watch: true"), appWith("watch: \"true\""));
        assertEquals(appWith("watch: false"), appWith("watch: \"false\""));
        assertNotEquals(appWith("watch: false"), appWith("watch: true"));
    }

    @Test
    void anEmptyWatchListWatchesTheAppsDirectoryAsPm2Does() {
        assertEquals(appWith("watch: true"), appWith("watch: []"));
    }

    @Test
    void aWatchListKeepsEachPathAsWritten() {
        assertEquals(List.of(tmp.resolve("lib").toString(), tmp.resolve("app.js").toString()),
                appWith("watch: [lib, app.js]").reload().watch());
    }

    @Test
    void aBadItemOfAnIgnoreWatchListIsNamedByItsIndex() {
        assertEquals(List.of("eco:4:26: apps[0].ignore_watch[1]: contains a NUL character (\\0), which no program argument,"
                        + " environment value or path can hold; remove it"),
                errorsWith("ignore_watch: [logs, \"a\\0b\"]"));
    }

    @Test
    void exitCodeTwoHundredFiftyFiveIsTheLargest() {
        assertEquals(List.of(0, 255), appWith("stop_exit_codes: [0, 255]").restart().stopExitCodes());
        assertEquals(List.of("eco:4:22: apps[0].stop_exit_codes: expected an exit code from 0 to 255 or a list of them, got 256"),
                errorsWith("stop_exit_codes: 256"));
    }

    @Test
    void anExitCodeThatIsNotANumberIsRefusedWithItsIndex() {
        assertEquals(List.of("eco:4:26: apps[0].stop_exit_codes[1]: expected an exit code from 0 to 255, got \"x\""),
                errorsWith("stop_exit_codes: [1, x]"));
        assertEquals(List.of("eco:4:22: apps[0].stop_exit_codes: expected an exit code from 0 to 255 or a list of them, got nothing (null)"),
                errorsWith("stop_exit_codes: ~"));
    }

    /** watch_delay: 0 reloads at the first change of a burst; it is not the 1s default. */
    @Test
    void aWatchDelayOfZeroIsNoDelay() {
        assertEquals(1, appWith("watch: true", "watch_delay: 0").reload().watchDelayMs());
        assertEquals(ReloadSpec.DEFAULT_WATCH_DELAY_MS, appWith("watch: true").reload().watchDelayMs());
    }
}
