package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the supervisor says in daemon.log (the daemon's stderr, {@link DaemonLogCapture}): each event of an app and
 * each request with the uid that asked, a desired state the store could not save, and a shutdown that leaves socket
 * workers serving.
 */
class DaemonLogLinesTest extends RequestTest {
    private DaemonLogCapture daemonLog;

    @BeforeEach
    void capture() {
        daemonLog = new DaemonLogCapture();
    }

    @AfterEach
    void restore() {
        daemonLog.close();
    }

    private void said(String line) {
        assertTrue(daemonLog.lines().contains(line), "'" + line + "' in " + daemonLog.lines());
    }

    @Test
    void eachEventAndEachRequestWithItsDetailAndUidIsALine() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        said("INFO web[0] started: pid " + f.host.newest("web", 0).pid);
        ask(s -> s.scale("web", 2, UID, progress::add));
        said("INFO web scale: 1 -> 2 (uid " + UID + ")");
        askNow(s -> s.stop("web", UID, progress::add));
        said("INFO web stop (uid " + UID + ")");
    }

    @Test
    void aStopWhoseDesiredStateCannotBeSavedIsSaidThere() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        f.store.close();
        askNow(s -> s.stop("web", UID, progress::add));
        assertTrue(daemonLog.lines().stream().anyMatch(l -> l.startsWith("WARN warning: ")
                && l.endsWith("; web is stopped now, but a daemon restart would start it again")), daemonLog.lines().toString());
    }

    @Test
    void aShutdownThatLeavesSocketWorkersServingSaysSo() throws Exception {
        java.util.concurrent.CompletableFuture.runAsync(() -> f.sup.shutdown(true)).get(60, java.util.concurrent.TimeUnit.SECONDS);
        said("INFO leaving the workers of listen: socket apps serving, for the next daemon to take over");
    }
}
