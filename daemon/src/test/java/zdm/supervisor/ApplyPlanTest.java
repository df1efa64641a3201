package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.config.AppSpec;
import zdm.net.ProxyLimits;

class ApplyPlanTest {
    @Test
    void anAppsDefaultProxyLimitsAreTheListenersDefaults() {
        assertEquals(ProxyLimits.DEFAULTS, ApplyPlan.proxyLimits(AppSpec.builder("web", List.of("node")).port(3000).build()));
    }
}
