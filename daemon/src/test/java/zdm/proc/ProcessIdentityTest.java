package zdm.proc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import zdm.test.Await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessIdentityTest {
    private final Spawned spawned = new Spawned();

    @AfterEach
    void cleanUp() {
        spawned.close();
    }

    @Test
    void aLiveProcessMatchesItsStartTime() throws Exception {
        WorkerProcess w = spawned.spawn(new SpawnSpec("t", 0, List.of("sleep", "1000"), null, Map.of()));
        ProcessIdentity id = ProcessIdentity.of(w.pid()).orElseThrow();
        assertEquals(ProcessHandle.of(w.pid()).orElseThrow().info().startInstant().orElseThrow().toEpochMilli(),
                id.startTimeMs());
        assertTrue(id.isAlive());
        assertEquals(id, w.identity());
    }

    @Test
    void aWrongStartTimeIsNotAlive() throws Exception {
        WorkerProcess w = spawned.spawn(new SpawnSpec("t", 0, List.of("sleep", "1000"), null, Map.of()));
        assertFalse(new ProcessIdentity(w.pid(), w.identity().startTimeMs() + 1).isAlive());
    }

    @Test
    void aDeadProcessIsNotAlive() throws Exception {
        WorkerProcess w = spawned.sh("exit 0");
        w.onExit().get(5, TimeUnit.SECONDS);
        assertTrue(ProcessIdentity.of(w.pid()).isEmpty());
        assertFalse(w.identity().isAlive());
        assertTrue(ProcessIdentity.of(-5).isEmpty());
    }

    @Test
    void aZombieIsNotAlive() throws Exception {
        // sh forks a child, then becomes `sleep`, which never reaps it: the child stays a zombie
        WorkerProcess w = spawned.sh("true & exec sleep 1000");
        long zombie = Await.value(Duration.ofSeconds(5), () -> ProcStat.all().stream()
                .filter(s -> s.ppid() == w.pid() && s.zombie()).map(ProcStat::pid).findFirst().orElse(null), "a zombie child");
        ProcessIdentity id = ProcessIdentity.ofEvenIfZombie(zombie).orElseThrow();
        assertFalse(id.isAlive());
        assertTrue(ProcessIdentity.of(zombie).isEmpty());
    }

    @Test
    void startTimesAreTheJdksForEveryProcessOnTheMachine() {
        int compared = 0;
        for (ProcStat s : ProcStat.all()) {
            var jdk = ProcessHandle.of(s.pid()).flatMap(h -> h.info().startInstant());
            if (jdk.isEmpty()) continue;   // gone meanwhile, or not readable
            // a pid recycled between the two reads would differ: compare only while it is the same process
            if (ProcStat.read(s.pid()).map(ProcStat::startTicks).orElse(-1L) != s.startTicks()) continue;
            assertEquals(jdk.get().toEpochMilli(), s.startTimeMs(), "start time of pid " + s.pid());
            compared++;
        }
        assertTrue(compared > 1, "compared " + compared + " processes");
    }
}
