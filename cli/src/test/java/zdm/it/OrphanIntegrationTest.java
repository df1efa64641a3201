package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.test.Await;

/**
 * No descendant survives its app: a grandchild that ran setsid and whose parent exited (a double fork,
 * as daemonizing programs do) is re-parented to the daemon, a child subreaper, which ends it with its
 * worker: on stop, on delete, and when the worker exits by itself.
 */
@ExtendWith(ZdmHomes.class)
class OrphanIntegrationTest {
    /** Starts a setsid'd sleep from a shell that exits at once, and records the sleep's pid in $ORPHAN_FILE. */
    private static final String DOUBLE_FORK = "sh -c 'setsid sleep 1000 & echo $! > \"$ORPHAN_FILE\"'";

    ZdmHome z;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
    }

    @Test
    void aDoubleForkedSetsidGrandchildGoesWithStopAndWithDelete() throws Exception {
        Path pidFile = z.dir.resolve("orphan.pid");
        z.ecosystem("""
                apps:
                  - name: keeper
                    command: [sh, -c, "%s; exec sleep 1000"]
                    env: { ZDM_TEST_TAG: ${TAG}, ORPHAN_FILE: %s }
                """.formatted(DOUBLE_FORK.replace("\"", "\\\""), pidFile));
        z.ok("start", "ecosystem.yaml");
        long orphan = adoptedOrphan(pidFile);

        z.ok("stop", "keeper");
        Await.until(ZdmHome.SHORT, () -> !ZdmHome.alive(orphan), "the orphan ends with zdm stop");

        Files.delete(pidFile);
        z.ok("start", "keeper");
        long second = adoptedOrphan(pidFile);
        z.ok("delete", "keeper");
        Await.until(ZdmHome.SHORT, () -> !ZdmHome.alive(second), "the orphan ends with zdm delete");
    }

    @Test
    void aWorkerThatExitsByItselfLeavesNoSetsidChildBehind() throws Exception {
        Path pidFile = z.dir.resolve("orphan.pid");
        z.ecosystem("""
                apps:
                  - name: job
                    command: [sh, -c, "%s; sleep 1; exit 0"]
                    autorestart: false
                    env: { ZDM_TEST_TAG: ${TAG}, ORPHAN_FILE: %s }
                """.formatted(DOUBLE_FORK.replace("\"", "\\\""), pidFile));
        z.zdm("start", "ecosystem.yaml");   // a one-shot job: how start reports it is not this test's concern
        long orphan = Await.value(ZdmHome.SHORT, () -> readPid(pidFile), java.util.Objects::nonNull, "the orphan's pid");
        Await.until(ZdmHome.SHORT, () -> z.pids("job").isEmpty(), "the worker exited");
        Await.until(ZdmHome.SHORT, () -> !ZdmHome.alive(orphan), "the orphan ends after its worker's own exit");
    }

    /** The orphan's pid, once it has been re-parented to the daemon. */
    private long adoptedOrphan(Path pidFile) {
        long pid = Await.value(ZdmHome.SHORT, () -> readPid(pidFile), java.util.Objects::nonNull, "the orphan's pid");
        long daemon = z.daemonPid().orElseThrow();
        Await.until(ZdmHome.SHORT, () -> parentOf(pid) == daemon, "orphan " + pid + " re-parented to the daemon " + daemon);
        assertEquals(true, ZdmHome.alive(pid));
        return pid;
    }

    private static Long readPid(Path f) {
        try {
            String s = Files.readString(f).trim();
            return s.isEmpty() ? null : Long.parseLong(s);
        } catch (Exception e) {
            return null;
        }
    }

    private static long parentOf(long pid) {
        return ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
    }
}
