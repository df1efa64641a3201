package zdm.proc;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import zdm.test.Await;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Children the JDK does not know about (posix_spawn through FFM stands in for an adopted orphan) are
 * reaped with their real status; children registered as the JVM's own are never touched, nor is
 * anything while a spawn is in flight.
 */
@SuppressWarnings("restricted")
class ChildReaperTest {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle POSIX_SPAWN = LINKER.downcallHandle(LINKER.defaultLookup().find("posix_spawn").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));

    /**
     * A child of this JVM that no Process object (and so no JDK reaper thread) waits for, in a session of
     * its own (through setsid(1), which execs in place), as an orphan of a worker is.
     */
    private static long spawnUnknownChild(String script) throws Throwable {
        return spawnUnknownChild(script, true);
    }

    private static long spawnUnknownChild(String script, boolean ownSession) throws Throwable {
        try (var arena = Arena.ofConfined()) {
            MemorySegment pid = arena.allocate(JAVA_INT);
            var args = ownSession ? List.of("/usr/bin/setsid", "/bin/sh", "-c", script) : List.of("/bin/sh", "-c", script);
            MemorySegment argv = arena.allocate(ADDRESS, args.size() + 1);
            for (int i = 0; i < args.size(); i++) argv.setAtIndex(ADDRESS, i, arena.allocateFrom(args.get(i)));
            argv.setAtIndex(ADDRESS, args.size(), MemorySegment.NULL);
            MemorySegment envp = arena.allocate(ADDRESS, 1);
            envp.setAtIndex(ADDRESS, 0, MemorySegment.NULL);
            int r = (int) POSIX_SPAWN.invokeExact(pid, arena.allocateFrom(args.getFirst()), MemorySegment.NULL, MemorySegment.NULL, argv, envp);
            assertEquals(0, r, "posix_spawn");
            return pid.get(JAVA_INT, 0);
        }
    }

    private static boolean isZombie(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
        } catch (Exception e) {
            return false;
        }
    }

    private static List<ChildReaper.Reaped> reapUntil(long pid) {
        var all = new ArrayList<ChildReaper.Reaped>();
        Await.until(Duration.ofSeconds(10), () -> {
            all.addAll(ChildReaper.reapOrphans());
            return all.stream().anyMatch(r -> r.pid() == pid);
        }, "pid " + pid + " reaped");
        return all;
    }

    @Test
    void anUnknownChildIsReapedWithItsStatus() throws Throwable {
        long pid = spawnUnknownChild("exit 5");
        var reaped = reapUntil(pid).stream().filter(r -> r.pid() == pid).findFirst().orElseThrow();
        assertEquals("exit code 5", reaped.describe());
        assertTrue(!Files.exists(Path.of("/proc/" + pid)), "no zombie left");
    }

    @Test
    void aRegisteredChildIsLeftForTheJdkUntilItHasReapedIt() throws Throwable {
        ChildReaper.spawnBegins();
        long pid = spawnUnknownChild("exit 9");
        ChildReaper.spawnEnds(pid);   // as WorkerProcess does: now the JVM's own
        Await.until(Duration.ofSeconds(10), () -> isZombie(pid), "child exited");
        for (int i = 0; i < 5; i++) {
            assertTrue(ChildReaper.reapOrphans().stream().noneMatch(r -> r.pid() == pid), "never stolen");
        }
        assertTrue(isZombie(pid), "still waiting for its owner");
        ChildReaper.reaped(pid);   // pretend the owner gave up on it: reapable now (test cleanup)
        assertEquals("exit code 9", reapUntil(pid).stream().filter(r -> r.pid() == pid).findFirst().orElseThrow().describe());
    }

    @Test
    void nothingIsReapedWhileASpawnIsInFlight() throws Throwable {
        long pid = spawnUnknownChild("exit 0");
        Await.until(Duration.ofSeconds(10), () -> isZombie(pid), "child exited");
        ChildReaper.spawnBegins();   // a worker's fork could be a zombie not yet registered: hands off
        try {
            for (int i = 0; i < 5; i++) assertEquals(List.of(), ChildReaper.reapOrphans());
            assertTrue(isZombie(pid));
        } finally {
            ChildReaper.spawnEnds(-1);
        }
        reapUntil(pid);
    }

    @Test
    void aChildInOurOwnSessionIsLeftToWhoeverStartedIt() throws Throwable {
        // e.g. node for a .config.js, started with ProcessBuilder and not registered: the JDK reaps it
        long pid = spawnUnknownChild("exit 3", false);
        Await.until(Duration.ofSeconds(10), () -> isZombie(pid), "child exited");
        for (int i = 0; i < 5; i++) {
            assertTrue(ChildReaper.reapOrphans().stream().noneMatch(r -> r.pid() == pid), "never stolen");
        }
        assertTrue(isZombie(pid), "still waiting for its owner");
        var status = java.lang.foreign.Arena.ofAuto().allocate(JAVA_INT);
        int r = (int) LINKER.downcallHandle(LINKER.defaultLookup().find("waitpid").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT)).invokeExact((int) pid, status, 0);
        assertEquals(pid, r, "test clean-up: the owner reaps it");
    }
}
