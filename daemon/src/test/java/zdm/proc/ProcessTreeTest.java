package zdm.proc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import zdm.test.Await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessTreeTest {
    private final Spawned spawned = new Spawned();

    @AfterEach
    void cleanUp() {
        spawned.close();
    }

    @Test
    void aWorkerThatExitsOnTermIsNotEscalated() throws Exception {
        WorkerProcess w = spawned.spawn(new SpawnSpec("t", 0, List.of("sleep", "1000"), null, java.util.Map.of()));
        var outcome = ProcessTree.terminate(w.identity(), Signal.SIGTERM, Duration.ofSeconds(5));
        assertFalse(outcome.escalatedToKill());
        assertTrue(outcome.took().compareTo(Duration.ofSeconds(2)) < 0, "took " + outcome.took());
        assertEquals(new ExitStatus(null, Signal.SIGTERM), w.onExit().get(5, TimeUnit.SECONDS));
    }

    @Test
    void aTreeIgnoringTermIsKilledAfterTheTimeoutAndNothingSurvives() throws Exception {
        WorkerProcess w = spawned.sh("trap '' TERM; sleep 1000 & sleep 1000 & wait");
        List<ProcessIdentity> children = Spawned.descendants(w.pid(), 2);
        children.forEach(spawned::track);

        var outcome = ProcessTree.terminate(w.identity(), Signal.SIGTERM, Duration.ofMillis(500));

        assertTrue(outcome.escalatedToKill());
        assertTrue(outcome.took().compareTo(Duration.ofMillis(500)) >= 0, "took " + outcome.took());
        assertTrue(outcome.took().compareTo(Duration.ofSeconds(4)) < 0, "took " + outcome.took());
        assertEquals(new ExitStatus(null, Signal.SIGKILL), w.onExit().get(5, TimeUnit.SECONDS));
        for (ProcessIdentity c : children) assertFalse(c.isAlive(), "descendant " + c + " survived");
    }

    @Test
    void aGrandchildInItsOwnSessionDiesToo() throws Exception {
        WorkerProcess w = spawned.sh("setsid sleep 1000 & wait");
        ProcessIdentity grandchild = Spawned.descendants(w.pid(), 1).getFirst();
        spawned.track(grandchild);
        Await.until(Duration.ofSeconds(5), () -> ProcStat.read(grandchild.pid()).orElseThrow().session() == grandchild.pid(),
                "the grandchild ran setsid");
        assertNotEquals(w.pid(), Posix.getpgid(grandchild.pid()));

        var outcome = ProcessTree.terminate(w.identity(), Signal.SIGTERM, Duration.ofSeconds(5));

        assertFalse(outcome.escalatedToKill());
        assertFalse(grandchild.isAlive());
    }

    @Test
    void aGreatGrandchildTwoSessionsDownDiesToo() throws Exception {
        // worker -> sh (its own session) -> sleep (yet another session): reached only through descendants
        WorkerProcess w = spawned.sh("setsid sh -c 'setsid sleep 1000 & wait' & wait");
        List<ProcessIdentity> below = Spawned.descendants(w.pid(), 2);
        below.forEach(spawned::track);
        Await.until(Duration.ofSeconds(5), () -> below.stream().allMatch(p -> ProcStat.read(p.pid()).map(s -> s.session() == p.pid()).orElse(false)),
                "both descendants ran setsid");

        ProcessTree.terminate(w.identity(), Signal.SIGTERM, Duration.ofSeconds(5));

        for (ProcessIdentity p : below) assertFalse(p.isAlive(), "descendant " + p + " survived");
    }

    @Test
    void aReparentedGrandchildIgnoringTermIsKilledOnEscalation() throws Exception {
        // the worker dies on TERM at once; its setsid'd grandchild ignores TERM and has been re-parented
        // by the time we escalate: only the snapshot taken before signalling still knows it
        WorkerProcess w = spawned.sh("setsid sh -c \"trap '' TERM; exec sleep 1000\" & wait");
        ProcessIdentity grandchild = Spawned.descendants(w.pid(), 1).getFirst();
        spawned.track(grandchild);
        Await.until(Duration.ofSeconds(5), () -> ProcStat.read(grandchild.pid()).map(s -> s.session() == grandchild.pid()
                && ProcessHandle.of(grandchild.pid()).flatMap(h -> h.info().command()).orElse("").endsWith("sleep"))
                .orElse(false), "the grandchild is a setsid'd sleep");

        var outcome = ProcessTree.terminate(w.identity(), Signal.SIGTERM, Duration.ofMillis(300));

        assertTrue(outcome.escalatedToKill());
        assertEquals(new ExitStatus(null, Signal.SIGTERM), w.onExit().get(5, TimeUnit.SECONDS));
        assertFalse(grandchild.isAlive());
    }

    @Test
    void anAlreadyDeadRootReturnsQuicklyAndStillKillsLeftoverGroupMembers() throws Exception {
        WorkerProcess w = spawned.sh("sleep 1000 & echo $!");
        long leftoverPid = Long.parseLong(spawned.firstOut(Duration.ofSeconds(5)));
        w.onExit().get(5, TimeUnit.SECONDS);
        ProcessIdentity leftover = ProcessIdentity.of(leftoverPid).orElseThrow();
        spawned.track(leftover);
        assertEquals(w.pid(), Posix.getpgid(leftoverPid), "the leftover is in the dead worker's group");

        var outcome = ProcessTree.terminate(w.identity(), Signal.SIGTERM, Duration.ofSeconds(5));

        assertFalse(outcome.escalatedToKill());
        assertTrue(outcome.took().compareTo(Duration.ofSeconds(1)) < 0, "took " + outcome.took());
        assertFalse(leftover.isAlive());
    }

    @Test
    void anEmptyDeadRootReturnsAtOnce() throws Exception {
        WorkerProcess w = spawned.sh("exit 0");
        w.onExit().get(5, TimeUnit.SECONDS);
        var outcome = ProcessTree.terminate(w.identity(), Signal.SIGTERM, Duration.ofSeconds(5));
        assertFalse(outcome.escalatedToKill());
        assertTrue(outcome.took().compareTo(Duration.ofMillis(500)) < 0, "took " + outcome.took());
    }

    @Test
    void neverSignalsAProcessWhoseStartTimeDoesNotMatch() throws Exception {
        WorkerProcess w = spawned.spawn(new SpawnSpec("t", 0, List.of("sleep", "1000"), null, java.util.Map.of()));
        var impostor = new ProcessIdentity(w.pid(), w.identity().startTimeMs() - 10_000);

        var outcome = ProcessTree.terminate(impostor, Signal.SIGKILL, Duration.ofMillis(200));

        assertFalse(outcome.escalatedToKill());
        assertTrue(w.identity().isAlive(), "a process that merely has the same pid must not be touched");
    }

    @Test
    void aStoppedWorkerStillActsOnTheStopSignal() throws Exception {
        WorkerProcess w = spawned.spawn(new SpawnSpec("t", 0, List.of("sleep", "1000"), null, java.util.Map.of()));
        assertTrue(Posix.kill(w.pid(), Signal.SIGSTOP));
        Await.until(Duration.ofSeconds(5), () -> ProcStat.read(w.pid()).map(s -> s.state() == 'T').orElse(false), "stopped");

        var outcome = ProcessTree.terminate(w.identity(), Signal.SIGTERM, Duration.ofSeconds(3));

        assertFalse(outcome.escalatedToKill(), "SIGCONT after the stop signal lets it die of SIGTERM");
        assertEquals(new ExitStatus(null, Signal.SIGTERM), w.onExit().get(5, TimeUnit.SECONDS));
    }

    @Test
    void theStopSignalReachesEachProcessOnce(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // a real process that counts deliveries, and its child in a session of its own (reached one by one)
        var fixture = java.nio.file.Path.of("../cli/src/test/resources/apps/sigcount.py").toAbsolutePath();
        WorkerProcess w = spawned.spawn(new SpawnSpec("t", 0, List.of("python3", fixture.toString(), dir.toString(),
                "--setsid-child"), null, java.util.Map.of()));
        Await.until(Duration.ofSeconds(20), () -> countFiles(dir, "ready.") == 2, "both processes counting");

        var outcome = ProcessTree.terminate(w.identity(), Signal.SIGINT, Duration.ofSeconds(10));

        assertFalse(outcome.escalatedToKill());
        assertEquals(2, countFiles(dir, "count."));
        try (var files = java.nio.file.Files.list(dir)) {
            for (var f : files.filter(f -> f.getFileName().toString().startsWith("count.")).toList()) {
                assertEquals("1", java.nio.file.Files.readString(f), f + ": SIGINT deliveries");
            }
        }
    }

    @Test
    void anOrphanThatLeftTheSessionIsFoundByItsMarkAndStopped() throws Exception {
        assertTrue(ChildReaper.becomeSubreaper(), "this JVM adopts orphans, as the daemon does");
        // a double fork: the middle shell starts a setsid'd sleep and exits, so the sleep is re-parented to us
        WorkerProcess w = spawned.sh("sh -c 'setsid sleep 1000 & echo $!'; exec sleep 1000");
        ProcessIdentity orphan = adopted(Long.parseLong(spawned.firstOut(Duration.ofSeconds(5))));

        var outcome = ProcessTree.terminate(w.identity(), Signal.SIGTERM, Duration.ofSeconds(5));

        assertFalse(outcome.escalatedToKill());
        assertFalse(orphan.isAlive(), "the orphan carrying the worker's mark was stopped with it");
    }

    @Test
    void theOrphansOfAWorkerThatExitedByItselfAreEndedToo() throws Exception {
        assertTrue(ChildReaper.becomeSubreaper());
        WorkerProcess w = spawned.sh("sh -c 'setsid sleep 1000 & echo $!'");
        ProcessIdentity orphan = adopted(Long.parseLong(spawned.firstOut(Duration.ofSeconds(5))));
        w.onExit().get(5, TimeUnit.SECONDS);

        ProcessTree.terminate(w.identity(), Signal.SIGTERM, Duration.ofSeconds(5));

        assertFalse(orphan.isAlive());
    }

    @Test
    void anotherWorkersOrphanIsLeftAlone() throws Exception {
        assertTrue(ChildReaper.becomeSubreaper());
        WorkerProcess other = spawned.sh("sh -c 'setsid sleep 1000 & echo $!'; exec sleep 1000");
        ProcessIdentity othersOrphan = adopted(Long.parseLong(spawned.firstOut(Duration.ofSeconds(5))));
        WorkerProcess w = spawned.spawn(new SpawnSpec("t", 1, List.of("sleep", "1000"), null, java.util.Map.of()));

        ProcessTree.terminate(w.identity(), Signal.SIGTERM, Duration.ofSeconds(5));

        assertTrue(othersOrphan.isAlive(), "only the stopped worker's orphans go");
        assertTrue(other.identity().isAlive());
    }

    /** The process {@code pid}, once it has been re-parented to this JVM; tracked for clean-up. */
    private ProcessIdentity adopted(long pid) {
        ProcessIdentity id = ProcessIdentity.of(pid).orElseThrow();
        spawned.track(id);
        long self = ProcessHandle.current().pid();
        Await.until(Duration.ofSeconds(5), () -> ProcStat.read(pid).map(s -> s.ppid() == self && s.session() == pid).orElse(false),
                "pid " + pid + " is a setsid'd orphan of ours");
        return id;
    }

    private static long countFiles(java.nio.file.Path dir, String prefix) {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
