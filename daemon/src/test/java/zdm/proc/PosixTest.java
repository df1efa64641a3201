package zdm.proc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import zdm.test.Await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PosixTest {
    private final Spawned spawned = new Spawned();

    @AfterEach
    void cleanUp() {
        spawned.close();
    }

    @Test
    void umaskRoundTrip() {
        int old = Posix.umask(027);
        try {
            assertEquals(027, Posix.umask(old));
        } finally {
            Posix.umask(old);
        }
    }

    @Test
    void getuidMatchesIdU() throws Exception {
        Process p = new ProcessBuilder("id", "-u").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
        assertEquals(Integer.parseInt(out), Posix.getuid());
    }

    @Test
    void getpgidOfOurselvesMatchesProc() throws Exception {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        long pgrp = ProcStat.parse(ProcessHandle.current().pid(), stat).pgrp();
        assertEquals(pgrp, Posix.getpgid(ProcessHandle.current().pid()));
    }

    @Test
    void killDeliversAndReportsAGoneProcess() throws Exception {
        WorkerProcess w = spawned.spawn(new SpawnSpec("t", 0, List.of("sleep", "1000"), null, Map.of()));
        assertTrue(Posix.kill(w.pid(), Signal.SIGTERM));
        assertEquals(new ExitStatus(null, Signal.SIGTERM), w.onExit().get(5, TimeUnit.SECONDS));
        assertFalse(Posix.kill(w.pid(), Signal.SIGTERM), "ESRCH once reaped");
        assertEquals(-1, Posix.getpgid(w.pid()));
    }

    @Test
    void killGroupReachesEveryMember() throws Exception {
        WorkerProcess w = spawned.sh("sleep 1000 & sleep 1000 & wait");
        var children = Spawned.descendants(w.pid(), 2);
        assertTrue(Posix.killGroup(w.pid(), Signal.SIGKILL));
        w.onExit().get(5, TimeUnit.SECONDS);
        Await.until(java.time.Duration.ofSeconds(5), () -> children.stream().noneMatch(ProcessIdentity::isAlive),
                "group members gone");
    }

    @Test
    void refusesTargetsThatWouldHitEverythingOrOurselves() {
        assertThrows(IllegalArgumentException.class, () -> Posix.kill(0, Signal.SIGTERM));
        assertThrows(IllegalArgumentException.class, () -> Posix.kill(-1, Signal.SIGTERM));
        assertThrows(IllegalArgumentException.class, () -> Posix.killGroup(1, Signal.SIGTERM));
        long ownGroup = Posix.getpgid(ProcessHandle.current().pid());
        assumeTrue(ownGroup > 1);
        assertThrows(IllegalArgumentException.class, () -> Posix.killGroup(ownGroup, Signal.SIGCONT));
    }

    @Test
    @org.junit.jupiter.api.Tag("non-root")
    void otherErrorsCarryTheErrnoText() {
        assumeTrue(Posix.getuid() != 0, "root may signal anything");
        assumeTrue(ownerOfPid1() != Posix.getuid(), "pid 1 runs as this user, who may signal it");
        // Not SIGCONT: the kernel lets any process of the same session send that one, and on CI
        // pid 1 may share our session. SIGWINCH is ignored by default, so even a wrongly
        // permitted send would do nothing to pid 1.
        var e = assertThrows(IllegalStateException.class, () -> Posix.kill(1, Signal.SIGWINCH));
        assertTrue(e.getMessage().contains("Operation not permitted"), e.getMessage());
    }

    private static long ownerOfPid1() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/1/status"))) {
                if (line.startsWith("Uid:")) return Long.parseLong(line.split("\\s+")[1]);
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    @Test
    void errnoTextComesFromTheCLibrary() {
        assertEquals("kill(1, SIGCONT) failed: Operation not permitted (errno 1)",
                Posix.failure("kill(1, SIGCONT)", 1).getMessage());
    }

    @Test
    void signalByIdentityChecksTheStartTime() throws Exception {
        WorkerProcess w = spawned.spawn(new SpawnSpec("t", 0, List.of("sleep", "1000"), null, Map.of()));
        assertFalse(Posix.signal(new ProcessIdentity(w.pid(), w.identity().startTimeMs() - 1), Signal.SIGKILL));
        assertTrue(w.identity().isAlive());
        assertTrue(Posix.signal(w.identity(), Signal.SIGKILL));
        assertEquals(new ExitStatus(null, Signal.SIGKILL), w.onExit().get(5, TimeUnit.SECONDS));
        assertFalse(Posix.signal(w.identity(), Signal.SIGKILL));
    }

    @Test
    void sysconfValuesAreSane() {
        assertTrue(Posix.clockTicksPerSecond() >= 100);
        assertTrue(Posix.pageSize() >= 4096);
    }
}
