package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The top-level dashboard: block: loopback only, off by default, positioned errors like every key. */
class DashboardSettingTest extends EcoDirTest {
    @BeforeEach
    void setUp() {
        eco.script("app.js");
    }

    private DashboardSetting dashboard(String... block) {
        var lines = new java.util.ArrayList<>(List.of(block));
        lines.addAll(List.of("apps:", "  - name: web", "    script: app.js"));
        eco.yaml(lines.toArray(String[]::new));
        return assertInstanceOf(LoadResult.Loaded.class, eco.load()).dashboard();
    }

    @Test
    void absentLeavesItAsItIs() {
        assertNull(dashboard());
    }

    @Test
    void anEmptyBlockIsLoopbackOnTheDefaultPort() {
        assertEquals(new DashboardSetting.Listen("127.0.0.1", 9210), dashboard("dashboard: {}"));
        assertEquals(new DashboardSetting.Listen("127.0.0.1", 9210), dashboard("dashboard: { enabled: true }"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "9300                |127.0.0.1|9300",
            "127.0.0.1:9300      |127.0.0.1|9300",
            "127.8.9.10:80       |127.8.9.10|80",
            "localhost:9300      |localhost|9300",
            "\"[::1]:9300\"      |::1|9300"})
    void listen(String written, String host, int port) {
        assertEquals(new DashboardSetting.Listen(host, port), dashboard("dashboard:", "  listen: " + written));
    }

    @Test
    void offTurnsItOff() {
        assertEquals(new DashboardSetting.Off(), dashboard("dashboard: off"));
        assertEquals(new DashboardSetting.Off(), dashboard("dashboard: false"));
        assertEquals(new DashboardSetting.Off(), dashboard("dashboard: { enabled: false, listen: 9300 }"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "192.168.1.5", "10.0.0.1", "example.com", "\"[::]\"", "128.0.0.1", "127.0.0.256"})
    void aNonLoopbackAddressIsRefusedWithTheSafeWays(String host) {
        String value = host.startsWith("\"") ? "\"" + host.substring(1, host.length() - 1) + ":9300\"" : host + ":9300";
        eco.yaml("dashboard:", "  listen: " + value, "apps:", "  - name: web", "    script: app.js");
        var errors = eco.errors();
        assertEquals(1, errors.size(), errors.toString());
        String e = errors.getFirst();
        assertTrue(e.startsWith("eco:2:11: dashboard.listen: "), e);
        assertTrue(e.contains("is not a loopback address"), e);
        assertTrue(e.contains("ssh -L 9300:127.0.0.1:9300"), e);
        assertTrue(e.contains("reverse proxy with TLS on this machine that forwards to 127.0.0.1:9300"), e);
    }

    @Test
    void loopbackIsOnlyWhatCannotLeaveTheMachine() {
        for (var h : List.of("127.0.0.1", "127.255.255.254", "::1", "localhost")) assertTrue(DashboardSetting.isLoopback(h), h);
        for (var h : List.of("0.0.0.0", "::", "127.0.0", "127.0.0.1.5", "localhost.example.com", "1.127.0.0.1"))
            assertFalse(DashboardSetting.isLoopback(h), h);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "dashboard: 9300             |eco:1:12: dashboard: expected a block (dashboard: {listen: 127.0.0.1:9210}) or off, got 9300",
            "dashboard: { listn: 9300 }  |eco:1:21: dashboard.listn: unknown key; did you mean \"listen\"?; the dashboard: block takes enabled, listen",
            "dashboard: { enabled: maybe } |eco:1:23: dashboard.enabled: expected true or false, got \"maybe\"",
            "dashboard: { listen: 0 }    |eco:1:22: dashboard.listen: expected a port from 1 to 65535, got 0"})
    void invalid(String line, String error) {
        eco.yaml(line, "apps:", "  - name: web", "    script: app.js");
        assertEquals(List.of(error), eco.errors());
    }
}
