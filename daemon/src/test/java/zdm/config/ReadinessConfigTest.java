package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import zdm.net.ProxyProtocol;

/** ready, listen_timeout, reload_parallel and protocol: every form, default and rule. */
class ReadinessConfigTest extends EcoDirTest {
    @BeforeEach
    void setUp() {
        eco.script("app.js");
    }

    /** One app "web" running app.js, plus the given lines (line 4 onwards). */
    private EcoDir with(String... extraLines) {
        var lines = new java.util.ArrayList<>(List.of("apps:", "  - name: web", "    script: app.js"));
        lines.addAll(List.of(extraLines));
        return eco.yaml(lines.toArray(String[]::new));
    }

    private List<String> errorsWith(String... extraLines) {
        return with(extraLines).errors();
    }

    private AppSpec appWith(String... extraLines) {
        return with(extraLines).app();
    }

    // --- defaults ---

    @Test
    void defaultsWithAPort() {
        var app = appWith("    port: 3000", "    listen: proxy"); // a Node app's default is socket mode (ListenConfigTest)
        assertEquals(List.of(new Readiness.Tcp(), 30_000L, 1, ProxyProtocol.AUTO),
                List.of(app.health().ready(), app.health().listenTimeoutMs(), app.reload().reloadParallel(), app.network().protocol()));
    }

    @Test
    void defaultsWithoutAPort() {
        var app = appWith("    listen: proxy"); // a Node app would learn its port (ListenConfigTest)
        assertEquals(List.of(new Readiness.Uptime(), 30_000L, 1, ProxyProtocol.AUTO),
                List.of(app.health().ready(), app.health().listenTimeoutMs(), app.reload().reloadParallel(), app.network().protocol()));
    }

    // --- ready: every form ---

    @ParameterizedTest(name = "ready: {0}")
    @CsvSource(delimiter = '|', value = {
            "tcp                       | true",
            "uptime                    | true",
            "uptime                    | false",
            "{http: /health}           | true",
            "{http: '/ready?deep=1'}   | true",
            "{log: 'listening on \\d+'} | false",
            "{log: 8080}               | false",
            "{delay: 2s}               | false",
            "{delay: 0}                | true"})
    void everyFormOfReady(String written, boolean withPort) {
        var app = withPort ? appWith("    port: 3000", "    ready: " + written) : appWith("    ready: " + written);
        Readiness expected = switch (written.replaceAll("[{}]", "").split(":")[0]) {
            case "tcp" -> new Readiness.Tcp();
            case "uptime" -> new Readiness.Uptime();
            case "http" -> new Readiness.Http(written.contains("deep") ? "/ready?deep=1" : "/health");
            case "log" -> new Readiness.Log(written.contains("8080") ? "8080" : "listening on \\d+");
            case "delay" -> new Readiness.Delay(written.contains("2s") ? 2_000 : 0);
            default -> throw new IllegalArgumentException(written);
        };
        assertEquals(expected, app.health().ready());
    }

    @Test
    void readyAsABlockMapping() {
        var app = appWith("    port: 3000", "    ready:", "      http: /healthz");
        assertEquals(new Readiness.Http("/healthz"), app.health().ready());
    }

    // --- ready: errors ---

    @Test
    void tcpAndHttpNeedAPort() {
        assertEquals(List.of("eco:4:12: apps[0].ready: ready: tcp needs a port; set port: or use ready: log/delay"),
                errorsWith("    ready: tcp"));
        assertEquals(List.of("eco:4:12: apps[0].ready: ready: http needs a port; set port: or use ready: log/delay"),
                errorsWith("    ready: {http: /health}"));
    }

    @Test
    void anInvalidPortIsReportedOnceNotAgainAsAMissingPort() {
        assertEquals(List.of("eco:4:11: apps[0].port: expected a port number from 1 to 65535, got 0"),
                errorsWith("    port: 0", "    ready: tcp", "    protocol: http"));
    }

    @ParameterizedTest(name = "ready: {0}")
    @CsvSource(delimiter = '|', value = {
            "tpc        | expected tcp, uptime, notify, message, or a mapping with one of http: /path, log: regex or delay: duration,"
                    + " got \"tpc\"; did you mean \"tcp\"?",
            "TCP        | expected tcp, uptime, notify, message, or a mapping with one of http: /path, log: regex or delay: duration,"
                    + " got \"TCP\"; did you mean \"tcp\"?",
            "listening  | expected tcp, uptime, notify, message, or a mapping with one of http: /path, log: regex or delay: duration,"
                    + " got \"listening\"",
            "5          | expected tcp, uptime, notify, message, or a mapping with one of http: /path, log: regex or delay: duration,"
                    + " got 5",
            "true       | expected tcp, uptime, notify, message, or a mapping with one of http: /path, log: regex or delay: duration,"
                    + " got true",
            "[tcp]      | expected tcp, uptime, notify, message, or a mapping with one of http: /path, log: regex or delay: duration,"
                    + " got a list",
            "{}         | expected tcp, uptime, notify, message, or a mapping with one of http: /path, log: regex or delay: duration,"
                    + " got an empty mapping",
            "http       | ready: http needs a path; write ready: {http: /health}",
            "log        | ready: log needs a pattern; write ready: {log: \"listening on\"}",
            "delay      | ready: delay needs a duration; write ready: {delay: 2s}"})
    void badReadyValues(String written, String message) {
        assertEquals(List.of("eco:5:12: apps[0].ready: " + message), errorsWith("    port: 3000", "    ready: " + written));
    }

    @Test
    void readyMappingWithUnknownOrSeveralKinds() {
        assertEquals(List.of(
                "eco:6:7: apps[0].ready.htpp: unknown kind; use http:, log: or delay:; did you mean \"http\"?",
                "eco:7:7: apps[0].ready.tcp: unknown kind; use http:, log: or delay:; write ready: tcp (a plain value,"
                        + " not a mapping)",
                "eco:8:7: apps[0].ready.probe: unknown kind; use http:, log: or delay:"),
                errorsWith("    port: 3000", "    ready:", "      htpp: /health", "      tcp: true", "      probe: x"));
        assertEquals(List.of("eco:5:28: apps[0].ready.log: only one of http:, log: or delay: at a time (http: is"
                        + " already given)"),
                errorsWith("    port: 3000", "    ready: {http: /health, log: up}"));
    }

    @ParameterizedTest(name = "ready: '{'http: {0}'}'")
    @CsvSource(delimiter = '|', value = {
            "health         | expected a path starting with /, like /health, got \"health\"",
            "'/a b'         | must not contain spaces or control characters; percent-encode them (%20)",
            "\"/a\\r\\nX: y\" | must not contain spaces or control characters; percent-encode them (%20)",
            "[/a]           | expected a string, got a list",
            "~              | expected a string, got nothing (null)"})
    void badHttpPaths(String written, String message) {
        assertEquals(List.of("eco:5:19: apps[0].ready.http: " + message),
                errorsWith("    port: 3000", "    ready: {http: " + written + "}"));
    }

    @Test
    void logPatternMustBeAValidRegex() {
        assertEquals(List.of("eco:4:18: apps[0].ready.log: invalid regular expression: Unclosed group at index 11"
                        + " (a Java regex; escape special characters with \\)"),
                errorsWith("    ready: {log: 'listening ('}"));
        assertEquals(List.of("eco:4:18: apps[0].ready.log: invalid regular expression: Dangling meta character '*'"
                        + " at index 0 (a Java regex; escape special characters with \\)"),
                errorsWith("    ready: {log: '*ready*'}"));
        assertEquals(List.of("eco:4:18: apps[0].ready.log: must not be empty (it would match any line); write text"
                + " that the worker prints when it is ready"), errorsWith("    ready: {log: ''}"));
    }

    @Test
    void delayIsADurationOfAtMostOneHour() {
        assertEquals(List.of("eco:4:20: apps[0].ready.delay: expected a duration like 250ms, 1.5s, 2m or 1h, or a"
                + " whole number of milliseconds, got \"soon\""), errorsWith("    ready: {delay: soon}"));
        assertEquals(List.of("eco:4:20: apps[0].ready.delay: must be at most 1h, got \"2h\""),
                errorsWith("    ready: {delay: 2h}"));
    }

    // --- ready vs listen_timeout ---

    @Test
    void aDelayThatCanNeverBeMetInTime() {
        assertEquals(List.of("eco:4:12: apps[0].ready: delay 30s must be shorter than listen_timeout (30s, the"
                + " default), or no worker could ever be ready in time; set listen_timeout longer"),
                errorsWith("    ready: {delay: 30s}"));
        assertEquals(List.of("eco:5:21: apps[0].listen_timeout: must be longer than the ready: delay (5s), or no"
                + " worker could ever be ready in time"), errorsWith("    ready: {delay: 5s}", "    listen_timeout: 5s"));
        assertEquals(new Readiness.Delay(45_000),
                appWith("    ready: {delay: 45s}", "    listen_timeout: 46s").health().ready());
    }

    @Test
    void anUptimeLongerThanListenTimeoutIsAccepted() {
        // ready: uptime has no deadline (there is nothing to wait for but time), and pm2 files pair min_uptime: 60s
        // with listen_timeout: 10000 often.
        assertEquals(60_000L, appWith("    min_uptime: 1m").restart().minUptimeMs());
        assertEquals(new Readiness.Uptime(), appWith("    min_uptime: 10s", "    ready: uptime", "    listen_timeout: 10s").health().ready());
        // With a port, readiness is tcp by default and min_uptime only classifies exits.
        assertEquals(new Readiness.Tcp(), appWith("    min_uptime: 1m", "    port: 3000", "    listen: proxy").health().ready());
        assertEquals(90_000L, appWith("    min_uptime: 1m", "    listen_timeout: 90s").health().listenTimeoutMs());
    }

    // --- listen_timeout ---

    @Test
    void listenTimeoutForms() {
        assertEquals(List.of(100L, 1_500L, 3_600_000L, 60_000L), List.of(
                appWith("    port: 1", "    listen_timeout: 100ms").health().listenTimeoutMs(),
                appWith("    port: 1", "    listen_timeout: 1500").health().listenTimeoutMs(),
                appWith("    port: 1", "    listen_timeout: 1h").health().listenTimeoutMs(),
                appWith("    port: 1", "    listen_timeout: 1m").health().listenTimeoutMs()));
    }

    @ParameterizedTest(name = "listen_timeout: {0}")
    @CsvSource(delimiter = '|', value = {
            "99ms  | must be at least 100ms, got \"99ms\"",
            "0     | must be at least 100ms, got 0",
            "61m   | must be at most 1h, got \"61m\"",
            "-1s   | expected a duration like 250ms, 1.5s, 2m or 1h, or a whole number of milliseconds, got \"-1s\"",
            "later | expected a duration like 250ms, 1.5s, 2m or 1h, or a whole number of milliseconds, got \"later\""})
    void badListenTimeout(String written, String message) {
        assertEquals(List.of("eco:5:21: apps[0].listen_timeout: " + message),
                errorsWith("    port: 3000", "    listen_timeout: " + written));
    }

    // --- reload_parallel ---

    @Test
    void reloadParallelAboveInstancesIsAllowed() {
        var app = appWith("    instances: 2", "    reload_parallel: 8");
        assertEquals(List.of(2, 8), List.of(app.instances(), app.reload().reloadParallel()));
        assertEquals(1, appWith("    reload_parallel: '1'").reload().reloadParallel());
    }

    @ParameterizedTest(name = "reload_parallel: {0}")
    @CsvSource(delimiter = '|', value = {"0 | 0", "-1 | -1", "1.5 | 1.5", "all | \"all\"", "3000000000 | 3000000000"})
    void badReloadParallel(String written, String shown) {
        assertEquals(List.of("eco:4:22: apps[0].reload_parallel: expected an integer from 1 to 2147483647, got " + shown),
                errorsWith("    reload_parallel: " + written));
    }

    // --- protocol ---

    /** The config's values are the proxy's: each one it can carry is accepted under its key, and reaches the spec. */
    @ParameterizedTest(name = "protocol: {0}")
    @EnumSource(ProxyProtocol.class)
    void protocols(ProxyProtocol protocol) {
        assertEquals(protocol, appWith("    port: 3000", "    protocol: " + protocol.key()).network().protocol());
    }

    @ParameterizedTest(name = "protocol: {0}")
    @CsvSource(delimiter = '|', value = {
            "htpp   | expected auto, http or tcp, got \"htpp\"; did you mean \"http\"?",
            "HTTP   | expected auto, http or tcp, got \"HTTP\"; did you mean \"http\"?",
            "grpc   | expected auto, http or tcp, got \"grpc\"",
            "1      | expected auto, http or tcp, got 1"})
    void badProtocol(String written, String message) {
        assertEquals(List.of("eco:5:15: apps[0].protocol: " + message),
                errorsWith("    port: 3000", "    protocol: " + written));
    }

    @Test
    void protocolNeedsAPort() {
        assertEquals(List.of("eco:4:15: apps[0].protocol: protocol needs a port; set port: or remove protocol:"),
                errorsWith("    protocol: http"));
    }

    // --- several at once, pm2 names, command line ---

    @Test
    void allProblemsAtOnceInFileOrder() {
        assertEquals(List.of(
                "eco:4:12: apps[0].ready: ready: tcp needs a port; set port: or use ready: log/delay",
                "eco:5:21: apps[0].listen_timeout: must be at least 100ms, got 1",
                "eco:6:22: apps[0].reload_parallel: expected an integer from 1 to 2147483647, got 0",
                "eco:7:15: apps[0].protocol: protocol needs a port; set port: or remove protocol:",
                "eco:8:5: apps[0].listen_timout: unknown key; did you mean \"listen_timeout\"?"),
                errorsWith("    ready: tcp", "    listen_timeout: 1", "    reload_parallel: 0", "    protocol: tcp",
                        "    listen_timout: 5s"));
    }

    @Test
    void commandLineAppsTakeTheNewKeys() {
        var result = EcosystemLoader.loadInline(Map.of("name", "w", "command", "sleep 5", "port", "3000",
                "ready", Map.of("http", "/health"), "listen_timeout", "5s", "reload_parallel", "2",
                "protocol", "http"), tmp);
        var app = assertInstanceOf(LoadResult.Loaded.class, result).apps().getFirst();
        assertEquals(List.of(new Readiness.Http("/health"), 5_000L, 2, ProxyProtocol.HTTP),
                List.of(app.health().ready(), app.health().listenTimeoutMs(), app.reload().reloadParallel(), app.network().protocol()));

        var errors = assertInstanceOf(LoadResult.Invalid.class, EcosystemLoader.loadInline(
                Map.of("name", "w", "command", "sleep 5", "ready", "tcp"), tmp)).errors();
        assertEquals(List.of("<command line>: ready: ready: tcp needs a port; set port: or use ready: log/delay"),
                errors.stream().map(ConfigError::format).toList());
    }
}
