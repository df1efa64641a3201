package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zdm.config.AppSpec;
import zdm.config.Listen;
import zdm.config.LogFiles;
import zdm.config.Secrets;
import zdm.proc.Signal;

/** What {@code zdm describe} shows of an app's spec ({@link SpecViews}): every key as the spec has it, secrets masked. */
class SpecViewsTest {
    private static final Path OUT_LOG = Path.of("/home/u/.zdm/logs/web-out.log");
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 12, 7, 10, 0, 30, 0, ZoneId.of("UTC"));

    private static AppSpec full() {
        return AppSpec.builder("web", List.of("node", "app.js")).cwd("/srv/web").source("/srv/web/zdm.yaml").instances(3)
                .port(3000).listen(Listen.PROXY).stopSignal(Signal.SIGINT).shutdownWithMessage(true).killTimeoutMs(7_000)
                .listenTimeoutMs(9_000).autorestart(false).restartDelayMs(250).restartDelayMaxMs(8_000).maxRestarts(4)
                .minUptimeMs(1_500).minReadyMs(2_500L).stopExitCodes(List.of(0, 3)).maxMemoryBytes(300L << 20).autostart(false)
                .cronRestart("0 3 * * *").watch(List.of("src")).ignoreWatch(List.of("node_modules")).watchDelayMs(600)
                .env(Map.of("NODE_ENV", "production", "API_TOKEN", "s3cret")).logMaxBytes(1L << 20).logMaxFiles(5)
                .logFiles(new LogFiles("/var/log/web.out", "/var/log/web.err", LogFiles.IN_ZDM_LOGS, true, "YYYY"))
                .build();
    }

    @Test
    void everyKeyIsShownAsTheSpecHasIt() {
        var v = SpecViews.of(full(), true, OUT_LOG, NOW);
        assertEquals("/srv/web/zdm.yaml", v.source());
        assertEquals(List.of("node", "app.js"), v.command());
        assertEquals("/srv/web", v.cwd());
        assertEquals(3, v.instances());
        assertEquals(3000, v.port());
        assertEquals("proxy", v.listen());
        assertEquals("SIGINT", v.stopSignal());
        assertTrue(v.shutdownWithMessage());
        assertEquals(7_000, v.killTimeoutMs());
        assertEquals(9_000, v.listenTimeoutMs());
        assertFalse(v.autorestart());
        assertEquals(250, v.restartDelayMs());
        assertEquals(8_000, v.restartDelayMaxMs());
        assertEquals(4, v.maxRestarts());
        assertEquals(1_500, v.minUptimeMs());
        assertEquals(2_500, v.minReadyMs());
        assertEquals(List.of(0, 3), v.stopExitCodes());
        assertEquals(300L << 20, v.maxMemoryBytes());
        assertFalse(v.autostart());
        assertEquals("0 3 * * *", v.cronRestart());
        assertEquals(List.of("src"), v.watch());
        assertEquals(List.of("node_modules"), v.ignoreWatch());
        assertEquals(600, v.watchDelayMs());
        assertEquals(1L << 20, v.logMaxBytes());
        assertEquals(5, v.logMaxFiles());
    }

    @Test
    void secretLookingValuesAreMaskedUnlessAskedFor() {
        var masked = SpecViews.of(full(), false, OUT_LOG, NOW);
        assertEquals(Secrets.MASK, masked.env().get("API_TOKEN"));
        assertEquals("production", masked.env().get("NODE_ENV"));
        assertTrue(masked.envMasked(), "describe says that values are hidden");
        var shown = SpecViews.of(full(), true, OUT_LOG, NOW);
        assertEquals("s3cret", shown.env().get("API_TOKEN"));
        assertFalse(shown.envMasked());
    }

    @Test
    void cronRestartShowsItsNextTickAndNoCronNone() {
        var v = SpecViews.of(full(), true, OUT_LOG, NOW);
        assertEquals(ZonedDateTime.of(2026, 12, 8, 3, 0, 0, 0, ZoneId.of("UTC")).toInstant().toEpochMilli(), v.cronNextMs());
        var none = SpecViews.of(AppSpec.builder("job", List.of("true")).cwd("/tmp").build(), true, OUT_LOG, NOW);
        assertNull(none.cronRestart());
        assertNull(none.cronNextMs());
    }

    @Test
    void logFileTrueIsShownAsTheFileBesideZdmsOwnLogs() {
        var files = SpecViews.of(full(), true, OUT_LOG, NOW).logFiles();
        assertEquals("/var/log/web.out", files.out());
        assertEquals("/var/log/web.err", files.err());
        assertEquals("/home/u/.zdm/logs/web.log", files.combined());
        assertTrue(files.merge());
        assertEquals("YYYY", files.dateFormat());
        var named = AppSpec.builder("web", List.of("true")).cwd("/tmp")
                .logFiles(new LogFiles(null, null, "/var/log/all.log", false, null)).build();
        var shown = SpecViews.of(named, true, OUT_LOG, NOW).logFiles();
        assertEquals("/var/log/all.log", shown.combined(), "a path written in the file is shown as written");
        assertFalse(shown.merge());
        assertNull(SpecViews.of(AppSpec.builder("web", List.of("true")).cwd("/tmp").build(), true, OUT_LOG, NOW).logFiles());
    }
}
