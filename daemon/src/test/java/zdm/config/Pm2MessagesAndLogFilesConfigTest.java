package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pm2's log file keys, wait_ready and shutdown_with_message as zdm keys, in YAML and in pm2 files. */
class Pm2MessagesAndLogFilesConfigTest {
    @TempDir
    Path tmp;
    EcoDir eco;

    @BeforeEach
    void setUp() {
        eco = new EcoDir(tmp);
        eco.script("app.js");
        eco.script("job.py");
    }

    private EcoDir with(String... extraLines) {
        var lines = new java.util.ArrayList<>(List.of("apps:", "  - name: web", "    script: app.js"));
        lines.addAll(List.of(extraLines));
        return eco.yaml(lines.toArray(String[]::new));
    }

    @Test
    void logFilePathsAreResolvedAgainstCwdAndMergedByDefault() {
        var files = with("    out_file: logs/out.log", "    error_file: \"NULL\"", "    log_file: true", "    time: true").app().logs().logFiles();
        assertEquals(tmp.resolve("logs/out.log").toString(), files.out());
        assertEquals("/dev/null", files.err(), "pm2's NULL discards");
        assertEquals(LogFiles.IN_ZDM_LOGS, files.combined());
        assertTrue(files.merge());
        assertEquals("YYYY-MM-DDTHH:mm:ss", files.dateFormat(), "time: true is pm2's format");
        var own = with("    out_file: ~/x.log", "    time: true", "    log_date_format: HH:mm", "    merge_logs: false").app().logs().logFiles();
        assertEquals(System.getProperty("user.home") + "/x.log", own.out());
        assertEquals("HH:mm", own.dateFormat());
        assertFalse(own.merge());
        assertNull(with("    time: true").app().logs().logFiles(), "no file named: nothing to write");
    }

    @Test
    void logTypeAndDisableLogsAreRead() {
        var json = with("    log_type: json", "    out_file: out.log").app().logs().logFiles();
        assertTrue(json.json() && !json.disabled());
        var off = with("    disable_logs: true").app().logs().logFiles();
        assertTrue(off.disabled() && off.out() == null, "disable_logs alone: no file, zdm's own neither");
        assertNull(with("    log_type: text", "    disable_logs: false").app().logs().logFiles(), "pm2's defaults");
        assertEquals(List.of("eco:4:15: apps[0].log_type: expected json (each line a JSON object, as pm2 writes it) or text,"
                + " got \"xml\""), with("    log_type: xml").errors());
    }

    @Test
    void aLogFileThatCannotBeCreatedIsAnError() {
        eco.mkdir("logs");
        assertEquals(List.of("eco:4:15: apps[0].out_file: $DIR/logs is a directory; give a file path, like $DIR/logs/out.log"),
                with("    out_file: logs").errors());
        assertEquals(List.of("eco:4:17: apps[0].error_file: cannot create $DIR/app.js/err.log: $DIR/app.js is not a directory"),
                with("    error_file: app.js/err.log").errors());
    }

    @Test
    void pm2FilesGetPm2sPerWorkerDefault() throws Exception {
        eco.script("server.js");
        var file = tmp.resolve("eco.json");
        java.nio.file.Files.writeString(file, """
                {"apps": [
                  {"name": "c", "script": "server.js", "exec_mode": "cluster", "out_file": "c.log"},
                  {"name": "i", "script": "server.js", "instances": 2, "out_file": "i.log"},
                  {"name": "f", "script": "server.js", "out_file": "f.log"},
                  {"name": "m", "script": "server.js", "instances": 2, "combine_logs": true, "out_file": "m.log"}
                ]}
                """);
        var apps = assertInstanceOf(LoadResult.Loaded.class, EcosystemLoader.loadFile(file)).apps();
        assertEquals(List.of(false, false, true, true), apps.stream().map(a -> a.logs().logFiles().merge()).toList());
    }

    @Test
    void waitReadyIsReadyMessageForANodeApp() {
        assertInstanceOf(Readiness.Message.class, with("    wait_ready: true").app().health().ready());
        assertInstanceOf(Readiness.Message.class, with("    ready: message").app().health().ready());
        assertEquals(List.of("eco:4:17: apps[0].wait_ready: wait_ready: true is ready: message; remove one of them"),
                with("    wait_ready: true", "    ready: uptime").errors());
    }

    @Test
    void waitReadyAndShutdownWithMessageAreIgnoredWithAWarningForOtherPrograms() {
        eco.yaml("apps:", "  - name: job", "    script: job.py", "    wait_ready: true", "    shutdown_with_message: true");
        var r = assertInstanceOf(LoadResult.Loaded.class, eco.load());
        assertInstanceOf(Readiness.Uptime.class, r.apps().getFirst().health().ready());
        assertFalse(r.apps().getFirst().process().shutdownWithMessage());
        assertEquals(2, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().getFirst().endsWith("apps[0].wait_ready: ignored; \"python3\" is not node, so it cannot"
                + " process.send('ready'): the default readiness is used (ready: notify is how other programs say it)"),
                r.warnings().toString());
        eco.yaml("apps:", "  - name: job", "    script: job.py", "    ready: message");
        assertEquals(List.of("eco:4:12: apps[0].ready: message is process.send('ready') from a Node app, and \"python3\""
                + " is not node; use ready: notify (sd_notify's READY=1) for other programs"), eco.errors());
    }

    @Test
    void shutdownWithMessageIsKeptForNodeAndNpm() {
        assertTrue(with("    shutdown_with_message: true").app().process().shutdownWithMessage());
        eco.yaml("apps:", "  - name: n", "    command: npm start", "    shutdown_with_message: true", "    wait_ready: true");
        assertTrue(eco.app().process().shutdownWithMessage());
        assertInstanceOf(Readiness.Message.class, eco.app().health().ready());
    }
}
