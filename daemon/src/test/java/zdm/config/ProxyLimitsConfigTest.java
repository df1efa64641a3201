package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * head_timeout / keepalive_timeout / max_head_size / max_connections / body_timeout / max_connections_per_address /
 * send_timeout: defaults, values, and where they apply.
 */
class ProxyLimitsConfigTest extends EcoDirTest {
    @Test
    void defaults() {
        eco.yaml("apps:", "  - {name: web, command: x, port: 3000}");
        var app = eco.app();
        assertEquals(List.of(60_000L, 75_000L, 16_384L, 4096),
                List.of(app.network().headTimeoutMs(), app.network().keepaliveTimeoutMs(), app.network().maxHeadBytes(), app.network().maxConnections()));
    }

    @Test
    void valuesAreRead() {
        eco.yaml("apps:", "  - {name: web, command: x, port: 3000, head_timeout: 10s, keepalive_timeout: 5s,"
                + " max_head_size: 32K, max_connections: 10000}");
        var app = eco.app();
        assertEquals(List.of(10_000L, 5_000L, 32_768L, 10_000),
                List.of(app.network().headTimeoutMs(), app.network().keepaliveTimeoutMs(), app.network().maxHeadBytes(), app.network().maxConnections()));
    }

    @Test
    void needAPort() {
        eco.yaml("apps:", "  - name: worker", "    command: x", "    head_timeout: 5s");
        assertEquals(List.of("eco:4:19: apps[0].head_timeout: limits the proxy on the app's port, and the app has none;"
                + " set port: or remove head_timeout:"), eco.errors());
    }

    @Test
    void notInSocketMode() {
        eco.yaml("apps:", "  - {name: web, command: x, port: 3000, listen: socket, max_connections: 10}");
        assertEquals(1, eco.errors().size(), eco.errors().toString());
        assertTrue(eco.errors().getFirst().contains("max_connections: is only for listen: proxy"), eco.errors().toString());
    }

    @Test
    void badValuesHavePositions() {
        eco.yaml("apps:", "  - name: web", "    command: x", "    port: 3000", "    max_head_size: 100",
                "    max_connections: 0", "    keepalive_timeout: 10ms");
        var errors = eco.errors();
        assertEquals(3, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("eco:5:20: apps[0].max_head_size: must be from 1K to 1M"), errors.toString());
        assertTrue(errors.get(1).startsWith("eco:6:22: apps[0].max_connections: "), errors.toString());
        assertTrue(errors.get(2).startsWith("eco:7:24: apps[0].keepalive_timeout: "), errors.toString());
    }

    @Test
    void bodyTimeoutAndPerAddressLimitDefaultsAndValues() {
        eco.yaml("apps:", "  - {name: web, command: x, port: 3000}",
                "  - {name: api, command: x, port: 3001, body_timeout: 10s, max_connections_per_address: 50}");
        var apps = eco.apps();
        assertEquals(List.of(60_000L, 0), List.of(apps.get(0).network().bodyTimeoutMs(), apps.get(0).network().maxConnectionsPerAddress()));
        assertEquals(List.of(10_000L, 50), List.of(apps.get(1).network().bodyTimeoutMs(), apps.get(1).network().maxConnectionsPerAddress()));
    }

    @Test
    void bodyTimeoutAndPerAddressLimitAreTheProxys() {
        eco.yaml("apps:", "  - {name: web, command: x, port: 3000, listen: socket, max_connections_per_address: 10}");
        assertTrue(eco.errors().getFirst().contains("max_connections_per_address: is only for listen: proxy"),
                eco.errors().toString());
        eco.yaml("apps:", "  - {name: web, command: x, body_timeout: 5s}");
        assertTrue(eco.errors().getFirst().contains("body_timeout: limits the proxy on the app's port"), eco.errors().toString());
    }

    @Test
    void sendTimeoutDefaultValueAndWhereItApplies() {
        eco.yaml("apps:", "  - {name: web, command: x, port: 3000}", "  - {name: api, command: x, port: 3001, send_timeout: 5s}");
        var apps = eco.apps();
        assertEquals(List.of(60_000L, 5_000L), List.of(apps.get(0).network().sendTimeoutMs(), apps.get(1).network().sendTimeoutMs()));
        eco.yaml("apps:", "  - {name: web, command: x, port: 3000, send_timeout: 10ms}");
        assertEquals(List.of("eco:2:55: apps[0].send_timeout: must be at least 100ms, got \"10ms\""), eco.errors());
        eco.yaml("apps:", "  - {name: web, command: x, send_timeout: 5s}");
        assertTrue(eco.errors().getFirst().contains("send_timeout: limits the proxy on the app's port"), eco.errors().toString());
        eco.yaml("apps:", "  - {name: web, command: x, port: 3000, listen: socket, send_timeout: 5s}");
        assertTrue(eco.errors().getFirst().contains("send_timeout: is only for listen: proxy"), eco.errors().toString());
    }
}
