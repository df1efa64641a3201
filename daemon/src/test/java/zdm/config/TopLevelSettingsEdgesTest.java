package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The edges of the top-level metrics: and dashboard: values: hosts at the ends of what is accepted, and which
 * message each wrong form gets. Written against PIT's survivors in MetricsSetting and DashboardSetting.
 */
class TopLevelSettingsEdgesTest extends EcoDirTest {
    private static final String METRICS_EXPECTED = "expected a port (metrics: 9209, served on 127.0.0.1), host:port"
            + " (metrics: 0.0.0.0:9209) or off, got ";
    private static final String LISTEN_EXPECTED = "expected a port (listen: 9210, served on 127.0.0.1)"
            + " or a loopback host:port (listen: 127.0.0.1:9210), got ";

    @BeforeEach
    void setUp() {
        eco.script("app.js");
    }

    private List<String> errorsWith(String... top) {
        var lines = new java.util.ArrayList<>(List.of(top));
        lines.addAll(List.of("apps:", "  - name: web", "    script: app.js"));
        eco.yaml(lines.toArray(String[]::new));
        return eco.errors();
    }

    private LoadResult.Loaded loaded(String... top) {
        var lines = new java.util.ArrayList<>(List.of(top));
        lines.addAll(List.of("apps:", "  - name: web", "    script: app.js"));
        eco.yaml(lines.toArray(String[]::new));
        return assertInstanceOf(LoadResult.Loaded.class, eco.load());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\":9209\"     | \":9209\"",
            "true          | true",
            "9209.5        | 9209.5",
            "localhost:http| \"localhost:http\"",
            "~             | nothing (null)"})
    void aMetricsValueThatIsNoPortOrHostPortGetsTheFormsThatAre(String written, String shown) {
        assertEquals(List.of("eco:1:10: metrics: " + METRICS_EXPECTED + shown), errorsWith("metrics: " + written));
    }

    @Test
    void anIpv6HostWithoutItsClosingBracketIsAskedForBrackets() {
        assertEquals(List.of("eco:1:10: metrics: write an IPv6 address in brackets ([::1]:9209), got \"[::1:9209\""),
                errorsWith("metrics: \"[::1:9209\""));
    }

    @Test
    void aClosingBracketWithoutItsOpeningOneIsAnInvalidHost() {
        assertEquals(List.of("eco:1:10: metrics: invalid host \"a]\"; " + METRICS_EXPECTED + "\"a]:80\""),
                errorsWith("metrics: \"a]:80\""));
    }

    @Test
    void aMetricsAddressShowsAsHostColonPortWithIpv6InBrackets() {
        assertEquals("127.0.0.1:9209", new MetricsSetting.Listen("127.0.0.1", 9209).display());
        assertEquals("[::1]:9209", new MetricsSetting.Listen("::1", 9209).display());
        assertEquals("[::1]:9210", new DashboardSetting.Listen("::1", 9210).display());
    }

    @Test
    void theLongIpv6LoopbackAndTheLastAddressOf127AreLoopback() {
        assertEquals(new DashboardSetting.Listen("0:0:0:0:0:0:0:1", 9300),
                loaded("dashboard:", "  listen: \"[0:0:0:0:0:0:0:1]:9300\"").dashboard());
        assertEquals(new DashboardSetting.Listen("127.255.255.255", 9300),
                loaded("dashboard:", "  listen: 127.255.255.255:9300").dashboard());
    }

    @Test
    void aPartOf127ThatIsNotANumberIsNotLoopback() {
        var errors = errorsWith("dashboard:", "  listen: 127.a.0.1:9300");
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("eco:2:11: dashboard.listen: " + DashboardSetting.notLoopback("127.a.0.1", 9300), errors.getFirst());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"[9300] | a list", "~ | nothing (null)"})
    void aDashboardListenThatIsNoScalarGetsTheFormsItTakes(String written, String shown) {
        assertEquals(List.of("eco:2:11: dashboard.listen: " + LISTEN_EXPECTED + shown),
                errorsWith("dashboard:", "  listen: " + written));
    }
}
