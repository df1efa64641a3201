package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.proc.Posix;
import zdm.proc.Signal;
import zdm.protocol.AppView;
import zdm.test.Await;

/** State survives the daemon: desired states come back, nothing runs twice, nothing is orphaned. */
@ExtendWith(ZdmHomes.class)
class DaemonRestartIntegrationTest {
    ZdmHome z;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
        z.ecosystem("""
                apps:
                  - name: a
                    command: sleep 1000
                    instances: 2
                    min_uptime: 200ms
                    env: { ZDM_TEST_TAG: ${TAG} }
                  - name: b
                    command: sleep 1000
                    min_uptime: 200ms
                    env: { ZDM_TEST_TAG: ${TAG} }
                """);
    }

    @Test
    void theCliStartsTheDaemonWhenItIsNotRunning() {
        var r = z.ok("ls");
        assertTrue(r.err().contains("started it"), r.toString());
        assertTrue(z.daemonPid().isPresent());
        var again = z.ok("ping");
        assertTrue(!again.err().contains("started it"), "second command reuses the daemon: " + again);
    }

    @Test
    void killThenStartBringsTheAppsBackAsTheyWere() {
        z.ok("start", "ecosystem.yaml");
        z.ok("stop", "b");
        var before = new HashSet<>(z.taggedProcesses());
        assertEquals(2, before.size());
        long daemon = z.daemonPid().orElseThrow();

        z.ok("kill");
        Await.until(ZdmHome.SHORT, () -> !ZdmHome.alive(daemon), "the daemon exits");
        assertEquals(0, z.taggedProcesses().size(), "kill stops every worker");

        z.ok("ls"); // auto-starts a new daemon, which restores the desired states
        Await.until(ZdmHome.SHORT, () -> z.app("a").onlineCount() == 2, "a back online");
        assertEquals(AppView.Status.STOPPED, z.app("b").status(), "b stays stopped as it was");
        var after = z.taggedProcesses();
        assertEquals(2, after.size(), "exactly the two workers of a: " + after);
        after.forEach(p -> assertTrue(!before.contains(p), "new processes"));
    }

    @Test
    void aDaemonKilledWithSigkillIsReplacedWithoutDuplicatesOrOrphans() {
        z.ok("start", "ecosystem.yaml");
        var old = new HashSet<>(z.taggedProcesses());
        assertEquals(3, old.size());
        long daemon = z.daemonPid().orElseThrow();
        Posix.kill(daemon, Signal.SIGKILL);
        Await.until(ZdmHome.SHORT, () -> !ZdmHome.alive(daemon), "the daemon is dead");
        assertEquals(old, new HashSet<>(z.taggedProcesses()), "workers outlive a crashed daemon");

        z.ok("ping"); // the next command brings up a new daemon, which reconciles
        Await.until(ZdmHome.SHORT, () -> z.app("a").onlineCount() == 2 && z.app("b").onlineCount() == 1, "apps back");
        var now = z.taggedProcesses();
        assertEquals(3, now.size(), "no duplicate workers: " + now);
        old.forEach(p -> assertTrue(!ZdmHome.alive(p), "leftover " + p + " was stopped"));
    }

    @Test
    void sigtermStopsWorkersGracefullyAndKeepsDesiredState() {
        z.ok("start", "ecosystem.yaml");
        long daemon = z.daemonPid().orElseThrow();
        Posix.kill(daemon, Signal.SIGTERM);
        Await.until(ZdmHome.SHORT, () -> !ZdmHome.alive(daemon), "the daemon exits on SIGTERM");
        assertEquals(0, z.taggedProcesses().size());
        z.ok("ping");
        Await.until(ZdmHome.SHORT, () -> z.taggedProcesses().size() == 3, "all three back");
    }

    @Test
    void aSecondDaemonForTheSameHomeRefusesToStart() {
        z.ok("ping");
        var r = z.zdm("daemon");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("already running"), r.toString());
    }
}
