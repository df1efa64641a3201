package zdm.proc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real processes carrying spawn marks as a killed daemon's workers would. */
class StrayWorkersTest {
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        started.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
        started.forEach(Process::destroyForcibly);
    }

    private Process sleeperMarked(String mark, String script) throws Exception {
        var pb = new ProcessBuilder("sh", "-c", script);
        pb.environment().put(SpawnMarks.VARIABLE, mark);
        var p = pb.start();
        started.add(p);
        return p;
    }

    @Test
    void onlyTheUnrecordedWorkersOfAnEarlierDaemonOfThisHomeAreStopped(@TempDir Path home, @TempDir Path otherHome) throws Exception {
        StrayWorkers.markHome(home);
        String tag = StrayWorkers.tagOf(home);
        // an earlier daemon (pid 1 never is one: any foreign pid will do) of this home: its unrecorded worker, with a child
        var stray = sleeperMarked(tag + ":1-7", "sleep 1000 & exec sleep 1000");
        // the same earlier daemon's worker that the store does name (a leftover Restore handles itself)
        var recorded = sleeperMarked(tag + ":1-8", "exec sleep 1000");
        // another home's worker, and one of this daemon's own
        var otherHomes = sleeperMarked(StrayWorkers.tagOf(otherHome) + ":1-7", "exec sleep 1000");
        var ours = sleeperMarked(SpawnMarks.next(), "exec sleep 1000");
        zdm.test.Await.until(Duration.ofSeconds(10), () -> stray.descendants().count() == 1 && SpawnMarks.markOf(ours.pid()).isPresent(),
                "the processes are running with their marks");
        long strayChild = stray.descendants().findFirst().orElseThrow().pid();

        var found = StrayWorkers.find(Set.of(recorded.pid()));
        assertEquals(List.of(stray.pid()), found.stream().map(ProcessIdentity::pid).toList(), "only the stray's topmost process");

        StrayWorkers.stop(Set.of(recorded.pid()), Duration.ofSeconds(5));
        assertTrue(stray.waitFor(10, TimeUnit.SECONDS), "the stray is stopped");
        zdm.test.Await.until(Duration.ofSeconds(10), () -> ProcessIdentity.of(strayChild).isEmpty(), "the stray's child is stopped too");
        assertTrue(recorded.isAlive(), "a recorded leftover is Restore's, not a stray");
        assertTrue(otherHomes.isAlive(), "another home's worker is never touched");
        assertTrue(ours.isAlive(), "this daemon's own worker is never a stray");
        assertFalse(StrayWorkers.find(Set.of(recorded.pid())).stream().anyMatch(p -> p.pid() == stray.pid()));
    }
}
