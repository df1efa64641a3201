package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.net.ProxyProtocol;

/**
 * The parts of a spec read back from a row an older zdm stored: a value it did not have arrives as 0 (or null)
 * and takes its default; a value that is 0 on purpose keeps its meaning. Written against PIT's survivors in
 * HealthSpec, ReloadSpec and NetworkSpec.
 */
class SpecDefaultsTest extends EcoDirTest {

    @Test
    void healthValuesAnOlderRowLacksTakeTheirDefaults() {
        var h = new HealthSpec(null, 0, null, 0, 0, 0);
        assertEquals(HealthSpec.DEFAULT_LISTEN_TIMEOUT_MS, h.listenTimeoutMs());
        assertEquals(Liveness.HTTP, h.liveness());
        assertEquals(0, h.livenessIntervalMs());
        assertEquals(HealthSpec.DEFAULT_LIVENESS_TIMEOUT_MS, h.livenessTimeoutMs());
        assertEquals(HealthSpec.DEFAULT_LIVENESS_FAILURES, h.livenessFailures());
    }

    @Test
    void healthValuesGivenAreKeptDownToOneMillisecond() {
        var h = new HealthSpec(null, 1, Liveness.WATCHDOG, 1, 1, 1);
        assertEquals(1, h.listenTimeoutMs());
        assertEquals(1, h.livenessIntervalMs());
        assertEquals(1, h.livenessTimeoutMs());
        assertEquals(1, h.livenessFailures());
    }

    @Test
    void aWatchdogWithoutAnIntervalIsNoWatchdog() {
        assertFalse(new HealthSpec(null, 0, Liveness.WATCHDOG, 0, 0, 0).watchdog());
        assertTrue(new HealthSpec(null, 0, Liveness.WATCHDOG, 1, 0, 0).watchdog());
        assertFalse(new HealthSpec(null, 0, Liveness.HTTP, 1, 0, 0).watchdog());
    }

    @Test
    void reloadValuesAnOlderRowLacksTakeTheirDefaults() {
        var r = new ReloadSpec(0, null, null, null, null, 0);
        assertEquals(1, r.reloadParallel());
        assertEquals(ReloadSpec.DEFAULT_WATCH_DELAY_MS, r.watchDelayMs());
        assertEquals(List.of(), r.watch());
        assertEquals(List.of(), r.ignoreWatch());
        assertNull(r.minReadyMs());
        assertNull(new ReloadSpec(1, -1L, null, null, null, 1).minReadyMs());
    }

    @Test
    void reloadValuesGivenAreKept() {
        var r = new ReloadSpec(1, 0L, null, List.of("/srv"), List.of("tmp"), 1);
        assertEquals(1, r.reloadParallel());
        assertEquals(0L, r.minReadyMs());
        assertEquals(1, r.watchDelayMs());
    }

    /** min_ready_time: 0 retires the old worker as soon as its replacement is ready; it does not mean min_uptime. */
    @Test
    void minReadyTimeZeroInAFileIsZeroNotMinUptime() {
        eco.script("app.js");
        eco.yaml("apps:", "  - name: web", "    script: app.js", "    min_uptime: 5s", "    min_ready_time: 0");
        assertEquals(0L, eco.app().reload().minReadyMs());
    }

    @Test
    void networkValuesAnOlderRowLacksTakeTheirDefaults() {
        var n = new NetworkSpec(null, null, null, null, 0, 0, 0, 0, 0, -1, 0);
        assertEquals(Listen.PROXY, n.listen());
        assertEquals(ProxyProtocol.AUTO, n.protocol());
        assertEquals(3, n.socketFd());
        assertEquals(NetworkSpec.DEFAULT_HEAD_TIMEOUT_MS, n.headTimeoutMs());
        assertEquals(NetworkSpec.DEFAULT_KEEPALIVE_TIMEOUT_MS, n.keepaliveTimeoutMs());
        assertEquals(NetworkSpec.DEFAULT_BODY_TIMEOUT_MS, n.bodyTimeoutMs());
        assertEquals(NetworkSpec.DEFAULT_MAX_HEAD_BYTES, n.maxHeadBytes());
        assertEquals(NetworkSpec.DEFAULT_MAX_CONNECTIONS, n.maxConnections());
        assertEquals(0, n.maxConnectionsPerAddress());
        assertEquals(NetworkSpec.DEFAULT_SEND_TIMEOUT_MS, n.sendTimeoutMs());
    }

    @Test
    void networkValuesGivenAreKept() {
        var n = new NetworkSpec(8080, Listen.SOCKET, ProxyProtocol.TCP, 0, 1, 1, 1, 1, 1, 1, 1);
        assertEquals(0, n.socketFd());
        assertEquals(List.of(1L, 1L, 1L, 1L), List.of(n.headTimeoutMs(), n.keepaliveTimeoutMs(), n.bodyTimeoutMs(), n.maxHeadBytes()));
        assertEquals(1, n.maxConnections());
        assertEquals(1, n.maxConnectionsPerAddress());
        assertEquals(1, n.sendTimeoutMs());
        assertTrue(n.socketMode());
        assertFalse(n.learnsPort());
        assertTrue(new NetworkSpec(null, Listen.SOCKET, null, null, 0, 0, 0, 0, 0, 0, 0).learnsPort());
        assertFalse(new NetworkSpec(null, Listen.PROXY, null, null, 0, 0, 0, 0, 0, 0, 0).learnsPort());
    }
}
