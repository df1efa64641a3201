package zdm.cli.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.config.AppSpec;
import zdm.config.EcosystemLoader;
import zdm.config.LoadResult;

/** The unit file read back section by section: every mapped directive, and systemd's escaping. */
class SystemdExportTest {
    @TempDir
    Path dir;

    private AppSpec load(String yaml) throws Exception {
        var file = Files.writeString(dir.resolve("eco.yaml"), yaml);
        return assertInstanceOf(LoadResult.Loaded.class, EcosystemLoader.loadFile(file)).apps().getFirst();
    }

    /** "[Section] Key" → values, in order. */
    private static Map<String, List<String>> parse(String unit) {
        var out = new LinkedHashMap<String, List<String>>();
        String section = "";
        for (var line : unit.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            if (line.startsWith("[")) {
                section = line;
                continue;
            }
            int eq = line.indexOf('=');
            out.computeIfAbsent(section + " " + line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
        }
        return out;
    }

    @Test
    void everyMappedDirective() throws Exception {
        var app = load("""
                apps:
                  - name: web
                    command: ["./bin/serve", "--greeting", "50% off $HOME \\"now\\""]
                    instances: 2
                    port: 3000
                    stop_signal: SIGINT
                    kill_timeout: 7s
                    restart_delay: 200ms
                    restart_delay_max: 10s
                    max_restarts: 4
                    min_uptime: 2s
                    max_memory_restart: 1G
                    env: {NODE_ENV: production}
                """);
        assertEquals("zdm-web@.service", SystemdExport.fileName(app));
        assertEquals("systemctl enable --now zdm-web@0 zdm-web@1", SystemdExport.enableCommand(app));
        var u = parse(SystemdExport.unit(app));
        assertEquals(List.of("zdm app web, worker %i"), u.get("[Unit] Description"));
        assertEquals(List.of("network.target"), u.get("[Unit] After"));
        assertEquals(List.of("5"), u.get("[Unit] StartLimitBurst"), "max_restarts + 1 starts");
        assertEquals(List.of("20"), u.get("[Unit] StartLimitIntervalSec"), "(2s × 5 + 10s) in seconds");
        assertEquals(List.of("simple"), u.get("[Service] Type"));
        assertEquals(List.of(dir.toString()), u.get("[Service] WorkingDirectory"));
        assertEquals(List.of("\"" + dir.resolve("bin/serve") + "\" \"--greeting\" \"50%% off $$HOME \\\"now\\\"\""),
                u.get("[Service] ExecStart"));
        assertEquals(List.of("\"NODE_APP_INSTANCE=%i\"", "\"NODE_ENV=production\"", "\"PORT=3000\"", "\"ZDM_APP=web\"",
                "\"ZDM_WORKER_ID=%i\""), u.get("[Service] Environment"));
        assertEquals(List.of("SIGINT"), u.get("[Service] KillSignal"));
        assertEquals(List.of("control-group"), u.get("[Service] KillMode"));
        assertEquals(List.of("7000ms"), u.get("[Service] TimeoutStopSec"));
        assertEquals(List.of("always"), u.get("[Service] Restart"));
        assertEquals(List.of("200ms"), u.get("[Service] RestartSec"));
        assertEquals(List.of("10000ms"), u.get("[Service] RestartMaxDelaySec"));
        assertEquals(List.of(String.valueOf(1L << 30)), u.get("[Service] MemoryMax"));
        assertEquals(List.of("multi-user.target"), u.get("[Install] WantedBy"));
        assertEquals(1, SystemdExport.warnings(app).size(), "two instances cannot share one port without the proxy");
    }

    /** systemd expands only '%' specifiers in Environment=, never '$': a doubled '$' would reach the service as "$$". */
    @Test
    void environmentDoublesPercentButKeepsDollar() throws Exception {
        var app = load("""
                apps:
                  - name: shop
                    command: ["echo", "$GREETING"]
                    env: {GREETING: "cost is $5, 50% off ${NOW}", QUOTE: 'say "hi" \\o/'}
                """);
        var u = parse(SystemdExport.unit(app));
        assertTrue(u.get("[Service] Environment").contains("\"GREETING=cost is $5, 50%% off ${NOW}\""), u.toString());
        assertTrue(u.get("[Service] Environment").contains("\"QUOTE=say \\\"hi\\\" \\\\o/\""), u.toString());
        assertEquals(List.of("\"echo\" \"$$GREETING\""), u.get("[Service] ExecStart"), "ExecStart= does expand $VAR");
    }

    @Test
    void livenessIsNamedAsNotExportedAndNoWatchdogPretendsToCarryIt() throws Exception {
        var app = load("""
                apps:
                  - name: web
                    command: ["./bin/serve"]
                    port: 3000
                    liveness_interval: 5s
                """);
        String unit = SystemdExport.unit(app);
        assertTrue(unit.contains("# Not exported: liveness_interval"), unit);
        assertTrue(!parse(unit).containsKey("[Service] WatchdogSec"), unit);
        assertTrue(!SystemdExport.unit(load("""
                apps:
                  - name: web
                    command: ["./bin/serve"]
                    port: 3000
                """)).contains("liveness"), "only apps with a liveness probe get the note");
    }

    @Test
    void noAutorestartAndNoLimits() throws Exception {
        var app = load("""
                apps:
                  - name: once
                    command: sleep 5
                    autorestart: false
                """);
        var u = parse(SystemdExport.unit(app));
        assertEquals(List.of("no"), u.get("[Service] Restart"));
        assertTrue(!u.containsKey("[Unit] StartLimitBurst") && !u.containsKey("[Service] MemoryMax"), u.toString());
        assertEquals(List.of("\"sleep\" \"5\""), u.get("[Service] ExecStart"));
        assertEquals(List.of(), SystemdExport.warnings(app));
    }

    @Test
    void aSocketModeAppGetsASocketUnitThatEveryInstanceInherits() throws Exception {
        var app = load("""
                apps:
                  - name: web
                    command: uvicorn --fd 3 app:app
                    instances: 2
                    port: 8000
                    listen: socket
                    ready: notify
                    liveness: watchdog
                    liveness_interval: 10s
                """);
        var u = parse(SystemdExport.unit(app));
        assertEquals(List.of("zdm-web.socket"), u.get("[Service] Sockets"));
        assertEquals(List.of("zdm-web.socket"), u.get("[Unit] Requires"));
        assertEquals(List.of("notify"), u.get("[Service] Type"));
        assertEquals(List.of("10000ms"), u.get("[Service] WatchdogSec"));
        assertTrue(!u.containsKey("[Service] StandardInput"), u.toString());
        var s = parse(SystemdExport.socketUnit(app));
        assertEquals(List.of("8000"), s.get("[Socket] ListenStream"));
        assertEquals(List.of("true"), s.get("[Socket] NoDelay"));
        assertEquals(List.of("web"), s.get("[Socket] FileDescriptorName"));
        assertEquals(List.of("zdm-web@0.service"), s.get("[Socket] Service"));
        assertEquals("zdm-web.socket", SystemdExport.socketFileName(app));
        assertEquals("systemctl enable --now zdm-web.socket zdm-web@0 zdm-web@1", SystemdExport.enableCommand(app));
        assertEquals(List.of(), SystemdExport.warnings(app), "the instances share the socket unit: no port fight");
        var java = load("""
                apps:
                  - {name: jv, command: java -jar app.jar, instances: 2, port: 8080, listen: socket, socket_fd: 0}
                """);
        assertEquals(List.of("socket"), parse(SystemdExport.unit(java)).get("[Service] StandardInput"));
    }
}
