package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** liveness_interval / liveness_timeout / liveness_failures: defaults, values, and the rules with port and protocol. */
class LivenessConfigTest extends EcoDirTest {
    @Test
    void offByDefault() {
        eco.yaml("apps:", "  - {name: web, command: x, port: 3000}");
        var app = eco.app();
        assertEquals(List.of(0L, 2_000L, 3), List.of(app.health().livenessIntervalMs(), app.health().livenessTimeoutMs(), app.health().livenessFailures()));
    }

    @Test
    void valuesAreRead() {
        eco.yaml("apps:", "  - {name: web, command: x, port: 3000, liveness_interval: 5s, liveness_timeout: 1500ms,"
                + " liveness_failures: 4}");
        var app = eco.app();
        assertEquals(List.of(5_000L, 1_500L, 4), List.of(app.health().livenessIntervalMs(), app.health().livenessTimeoutMs(), app.health().livenessFailures()));
    }

    @Test
    void needsAPort() {
        eco.yaml("apps:", "  - name: worker", "    command: x", "    liveness_interval: 5s");
        assertEquals(List.of("eco:4:24: apps[0].liveness_interval: needs port: (the probe is an HTTP request to the"
                + " worker's PORT); add a port or remove it"), eco.errors());
    }

    @Test
    void needsHttp() {
        eco.yaml("apps:", "  - {name: db, command: x, port: 3000, protocol: tcp, liveness_interval: 5s}");
        assertEquals(1, eco.errors().size());
        assertEquals(true, eco.errors().getFirst().contains("protocol is tcp"), eco.errors().toString());
    }

    @Test
    void notInSocketMode() {
        eco.yaml("apps:", "  - {name: web, command: x, port: 3000, listen: socket, liveness_interval: 5s}");
        assertEquals(List.of("eco:2:76: apps[0].liveness_interval: probes a worker's private PORT, which listen: socket"
                + " does not have; remove liveness_interval or use listen: proxy"), eco.errors());
    }

    @Test
    void badValuesHavePositions() {
        eco.yaml("apps:", "  - name: web", "    command: x", "    port: 3000", "    liveness_timeout: 10ms",
                "    liveness_failures: 0");
        var errors = eco.errors();
        assertEquals(2, errors.size(), errors.toString());
        assertEquals(true, errors.get(0).startsWith("eco:5:23: apps[0].liveness_timeout: "), errors.toString());
        assertEquals(true, errors.get(1).startsWith("eco:6:24: apps[0].liveness_failures: "), errors.toString());
    }

    @Test
    void watchdogNeedsNoPortButAnInterval() {
        eco.yaml("apps:", "  - {name: worker, command: x, liveness: watchdog, liveness_interval: 10s}");
        var app = eco.app();
        assertEquals(List.of(Liveness.WATCHDOG, 10_000L, true), List.of(app.health().liveness(), app.health().livenessIntervalMs(), app.health().watchdog()));
        eco.yaml("apps:", "  - {name: web, command: x, port: 3000, listen: socket, liveness: watchdog, liveness_interval: 1s}");
        assertEquals(true, eco.app().health().watchdog());
        eco.yaml("apps:", "  - {name: worker, command: x, liveness: watchdog}");
        assertEquals(List.of("eco:2:42: apps[0].liveness: watchdog needs liveness_interval: the longest time allowed"
                + " between two WATCHDOG=1 (systemd's WatchdogSec); add it"), eco.errors());
    }

    @Test
    void watchdogRefusesTheProbesKeysAndUnknownKinds() {
        eco.yaml("apps:", "  - {name: w, command: x, liveness: watchdog, liveness_interval: 1s, liveness_failures: 2}");
        assertEquals(List.of("eco:2:89: apps[0].liveness_failures: is for liveness: http (the probe); a watchdog fails"
                + " at the first missed liveness_interval; remove it"), eco.errors());
        eco.yaml("apps:", "  - {name: w, command: x, liveness: watchdgo}");
        assertEquals(1, eco.errors().size());
        assertEquals(true, eco.errors().getFirst().contains("expected http (zdm asks the worker) or watchdog"), eco.errors().toString());
        assertEquals(true, eco.errors().getFirst().contains("did you mean \"watchdog\"?"), eco.errors().toString());
        eco.yaml("apps:", "  - {name: web, command: x, port: 3000, liveness_interval: 5s}");
        assertEquals(List.of(Liveness.HTTP, false), List.of(eco.app().health().liveness(), eco.app().health().watchdog()));
    }
}
