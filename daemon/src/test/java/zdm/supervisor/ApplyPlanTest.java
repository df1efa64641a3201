package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.config.AppSpec;
import zdm.net.ProxyLimits;

class ApplyPlanTest {
    @Test
    void anAppsDefaultProxyLimitsAreTheListenersDefaults() {
        assertEquals(ProxyLimits.DEFAULTS, ApplyPlan.proxyLimits(AppSpec.builder("web", List.of("node")).port(3000).build()));
    }

    @Test
    void anAppsProxyLimitsAreItsKeys() {
        var spec = AppSpec.builder("web", List.of("node")).port(3000).headTimeoutMs(1000).keepaliveTimeoutMs(2000)
                .maxHeadBytes(4096).maxConnections(7).bodyTimeoutMs(3000).maxConnectionsPerAddress(5).sendTimeoutMs(4000)
                .build();
        assertEquals(new ProxyLimits(Duration.ofSeconds(1), Duration.ofSeconds(2), 4096, 7, Duration.ofSeconds(3), 5,
                Duration.ofSeconds(4)), ApplyPlan.proxyLimits(spec));
    }
}
