package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

class RestartPolicyTest {
    final RestartPolicy policy = new RestartPolicy(1000, 3, 100, 1000);

    @Test
    void unstableExitsDoubleTheDelayUpToTheCap() {
        assertEquals(new RestartPolicy.Decision.RestartAfter(100, 1), policy.decide(10, 0));
        assertEquals(new RestartPolicy.Decision.RestartAfter(200, 2), policy.decide(10, 1));
        assertEquals(new RestartPolicy.Decision.RestartAfter(400, 3), policy.decide(10, 2));
        var capped = new RestartPolicy(1000, 10, 100, 1000);
        assertEquals(new RestartPolicy.Decision.RestartAfter(1000, 6), capped.decide(10, 5));
    }

    @Test
    void afterMaxRestartsUnstableExitsItGivesUp() {
        assertInstanceOf(RestartPolicy.Decision.GiveUp.class, policy.decide(10, 3));
    }

    @Test
    void aStableExitResetsTheStreak() {
        assertEquals(new RestartPolicy.Decision.RestartAfter(100, 0), policy.decide(5000, 3));
    }

    @Test
    void anExitAfterExactlyMinUptimeIsStable() {
        assertEquals(new RestartPolicy.Decision.RestartAfter(100, 0), policy.decide(1000, 2));
        assertEquals(new RestartPolicy.Decision.RestartAfter(400, 3), policy.decide(999, 2));
    }

    @Test
    void zeroMaxRestartsGivesUpOnTheFirstUnstableExit() {
        assertInstanceOf(RestartPolicy.Decision.GiveUp.class, new RestartPolicy(1000, 0, 100, 1000).decide(10, 0));
    }
}
