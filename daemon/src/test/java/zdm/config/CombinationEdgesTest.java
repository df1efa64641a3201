package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules over several keys at their edges: a backoff whose first delay equals its cap, a bad restart_delay
 * that must not also be compared with restart_delay_max, and max_head_size's range. Written against PIT's
 * survivors in CombinationRules.
 */
class CombinationEdgesTest extends EcoDirTest {
    @BeforeEach
    void setUp() {
        eco.script("app.js");
    }

    private EcoDir with(String... lines) {
        return eco.web(lines);
    }

    @Test
    void aFirstDelayEqualToItsCapIsAccepted() {
        var restart = with("restart_delay: 5s", "restart_delay_max: 5s").app().restart();
        assertEquals(List.of(5_000L, 5_000L), List.of(restart.restartDelayMs(), restart.restartDelayMaxMs()));
    }

    /** The default restart_delay (100ms) is above this cap; the bad value is the one problem, not the comparison. */
    @Test
    void aBadRestartDelayIsNotAlsoComparedWithTheCap() {
        assertEquals(List.of("eco:4:20: apps[0].restart_delay: expected a duration like 250ms, 1.5s, 2m or 1h, or"
                        + " a whole number of milliseconds, got \"soon\""),
                with("restart_delay: soon", "restart_delay_max: 50ms").errors());
    }

    @Test
    void aBadCapIsNotAlsoComparedWithTheFirstDelay() {
        assertEquals(List.of("eco:5:24: apps[0].restart_delay_max: expected a duration like 250ms, 1.5s, 2m or 1h, or"
                        + " a whole number of milliseconds, got \"later\""),
                with("restart_delay: 20s", "restart_delay_max: later").errors());
    }

    @Test
    void maxHeadSizeFromOneKibibyteToOneMebibyteIsAccepted() {
        assertEquals(1024L, with("port: 3000", "listen: proxy", "max_head_size: 1K").app().network().maxHeadBytes());
        assertEquals(1024L * 1024, with("port: 3000", "listen: proxy", "max_head_size: 1M").app().network().maxHeadBytes());
        assertEquals(List.of("eco:6:20: apps[0].max_head_size: must be from 1K to 1M, got 1023 bytes"),
                with("port: 3000", "listen: proxy", "max_head_size: 1023").errors());
        assertEquals(List.of("eco:6:20: apps[0].max_head_size: must be from 1K to 1M, got 1048577 bytes"),
                with("port: 3000", "listen: proxy", "max_head_size: 1048577").errors());
    }

    /** The bad listen_timeout is the one problem: its default (30s) is not compared with the ready: delay. */
    @Test
    void aBadListenTimeoutIsNotAlsoComparedWithTheReadyDelay() {
        assertEquals(List.of("eco:4:21: apps[0].listen_timeout: expected a duration like 250ms, 1.5s, 2m or 1h, or"
                        + " a whole number of milliseconds, got \"soon\""),
                with("listen_timeout: soon", "ready: {delay: 40s}").errors());
    }
}
