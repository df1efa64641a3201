package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The top-level metrics: key: loopback unless a host is written, positioned errors like every key. */
class MetricsSettingTest extends EcoDirTest {
    @BeforeEach
    void setUp() {
        eco.script("app.js");
    }

    private MetricsSetting metrics(String value) {
        eco.yaml("metrics: " + value, "apps:", "  - name: web", "    script: app.js");
        return assertInstanceOf(LoadResult.Loaded.class, eco.load()).metrics();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "9209                |127.0.0.1|9209",
            "\"9209\"            |127.0.0.1|9209",
            "127.0.0.1:9209      |127.0.0.1|9209",
            "0.0.0.0:9100        |0.0.0.0|9100",
            "localhost:1         |localhost|1",
            "\"[::1]:65535\"     |::1|65535",
            "metrics.internal:80 |metrics.internal|80"})
    void listen(String written, String host, int port) {
        assertEquals(new MetricsSetting.Listen(host, port), metrics(written));
    }

    @Test
    void offAndAbsent() {
        assertEquals(new MetricsSetting.Off(), metrics("off"));
        assertEquals(new MetricsSetting.Off(), metrics("false"));
        eco.yaml("apps:", "  - name: web", "    script: app.js");
        assertNull(assertInstanceOf(LoadResult.Loaded.class, eco.load()).metrics());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0            |eco:1:10: metrics: expected a port from 1 to 65535, got 0",
            "70000        |eco:1:10: metrics: expected a port from 1 to 65535, got 70000",
            "::1:9209     |eco:1:10: metrics: write an IPv6 address in brackets ([::1]:9209), got \"::1:9209\"",
            "'a b:9209'   |eco:1:10: metrics: invalid host \"a b\"; expected a port (metrics: 9209, served on 127.0.0.1), host:port (metrics: 0.0.0.0:9209) or off, got \"a b:9209\"",
            "[9209]       |eco:1:10: metrics: expected a port (metrics: 9209, served on 127.0.0.1), host:port (metrics: 0.0.0.0:9209) or off, got a list",
            "\"host:\"      |eco:1:10: metrics: expected a port (metrics: 9209, served on 127.0.0.1), host:port (metrics: 0.0.0.0:9209) or off, got \"host:\""})
    void invalid(String written, String error) {
        eco.yaml("metrics: " + written, "apps:", "  - name: web", "    script: app.js");
        assertEquals(List.of(error), eco.errors());
    }

    @Test
    void aMisspelledTopLevelKeyStillSuggests() {
        eco.yaml("metric: 9209", "apps:", "  - name: web", "    script: app.js");
        assertEquals(List.of("eco:1:1: metric: unknown key; did you mean \"metrics\"? (app settings go under apps:)"), eco.errors());
    }
}
