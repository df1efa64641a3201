package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.store.WorkerRecord;
import zdm.test.Await;

/**
 * What the registry keeps of a slot ({@link AppRegistry#persist}, {@link AppRegistry#forget}): the store's record names
 * the running process by pid and start time, as the next daemon finds it again; a slot that goes (scaled down) takes its
 * record and the resource sampler's history of its last process with it.
 */
class SlotRecordsTest extends FixtureTest {
    private WorkerRecord record(int id, String state) {
        return Await.value(Duration.ofSeconds(10), () -> f.store.workers().stream().filter(w -> w.id() == id).findFirst().orElse(null),
                r -> r != null && r.state().equals(state), "the record of web[" + id + "] " + state);
    }

    @Test
    void aRunningProcessIsRecordedWithItsStartTimeAndAStoppedOneWithNone() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        var p = f.host.newest("web", 0);
        var online = record(0, "online");
        assertEquals(p.pid, online.pid());
        assertEquals(-p.pid, online.startTimeMs(), "the fake host's start time of the process: with the pid, its identity");
        f.onLoop(() -> f.sup.registry().apps().get("web").stop(false));
        var stopped = record(0, "stopped");
        assertEquals(0, stopped.pid());
        assertEquals(0, stopped.startTimeMs());
    }

    @Test
    void aSlotScaledAwayTakesTheSamplersHistoryOfItsLastProcessWithIt() throws Exception {
        var sleeper = new ProcessBuilder("sleep", "60").start(); // a real pid for the sampler to read; never signalled by the fake host
        try {
            f.start(SupervisorFixture.spec("web").build());
            f.host.pidOfNext = sleeper.pid();
            f.onLoop(() -> f.sup.registry().apps().get("web").scale(2));
            f.host.advance(1_000);
            assertEquals(List.of("online", "online"), f.states("web"));
            var sampler = f.sup.registry().sampler();
            Views.withResources(f.view("web"), sampler); // as ls does
            assertEquals(1, sampler.remembered(), "web[1]'s process has a reading kept (web[0]'s pid is made up)");
            f.onLoop(() -> f.sup.registry().apps().get("web").scale(1));
            Await.until(Duration.ofSeconds(10), () -> f.store.workers().size() == 1, "web[1]'s record deleted");
            Await.until(Duration.ofSeconds(10), () -> sampler.remembered() == 0, "its reading forgotten with the slot");
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
    }
}
