package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.protocol.ErrorKind;

/**
 * {@code zdm scale <app> <n>}: the count is saved, new slots start, the highest slots are stopped and removed, and
 * the answer comes once the app has settled at its new size. A stopped app only takes the new count.
 */
class ScaleRequestTest extends RequestTest {

    @Test
    void scaleUpStartsTheNewSlotsAndAnswersOnceTheyAreOnline() {
        f.start(SupervisorFixture.spec("web").instances(2).build());
        f.host.advance(1_000);
        var first = f.host.alive("web");
        var answer = askStepwise(s -> s.scale("web", 4, UID, progress::add));
        assertEquals("scaled web", message(answer));
        assertEquals(List.of("online", "online", "online", "online"), f.states("web"));
        assertTrue(first.stream().allMatch(FakeHost.Proc::alive), "the workers that were there keep running");
        assertTrue(first.stream().allMatch(p -> p.signals.isEmpty()));
    }

    @Test
    void scaleDownStopsTheHighestSlotsAndRemovesThem() {
        f.start(SupervisorFixture.spec("web").instances(3).build());
        f.host.advance(1_000);
        var answer = askStepwise(s -> s.scale("web", 1, UID, progress::add));
        assertEquals("scaled web", message(answer));
        assertEquals(List.of("online"), f.states("web"));
        assertTrue(f.host.newest("web", 0).alive(), "slot 0 stays");
        assertFalse(f.host.newest("web", 1).alive());
        assertFalse(f.host.newest("web", 2).alive());
        assertEquals(List.of(0), f.store.workers().stream().filter(w -> w.app().equals("web")).map(w -> w.id()).toList(),
                "the removed slots' records are gone");
    }

    @Test
    void theNewCountIsSavedAndRecordedWithTheOldOne() {
        f.start(SupervisorFixture.spec("web").instances(2).build());
        f.host.advance(1_000);
        askStepwise(s -> s.scale("web", 3, UID, progress::add));
        assertEquals(3, f.store.app("web").orElseThrow().spec().instances());
        assertTrue(f.hasEvent("web", "scale: 2 -> 3"), f.events("web").toString());
        assertEquals(3, f.view("web").instances());
    }

    @Test
    void scalingAStoppedAppTakesTheCountWithoutStartingIt() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        askNow(s -> s.stop("web", UID, progress::add));
        int spawned = f.host.procs.size();
        var answer = askNow(s -> s.scale("web", 3, UID, progress::add));
        assertEquals("scaled web", message(answer));
        assertEquals(spawned, f.host.procs.size(), "nothing started");
        assertFalse(storedRunning("web"), "still stopped after a daemon restart");
        assertEquals(3, f.store.app("web").orElseThrow().spec().instances());
        ask(s -> s.startApps("web", UID, progress::add));
        assertEquals(List.of("online", "online", "online"), f.states("web"), "a start runs the new count");
    }

    @Test
    void scaleTakesOneAppNotAll() {
        f.start(SupervisorFixture.spec("web").build());
        var answer = failed(askNow(s -> s.scale("all", 2, UID, progress::add)), ErrorKind.BAD_REQUEST);
        assertEquals("scale takes one app name, not 'all'", answer.message());
        assertEquals(1, f.view("web").instances());
    }

    @Test
    void scaleOfAnAppThatIsNotThereIsNotFound() {
        var answer = failed(askNow(s -> s.scale("web", 2, UID, progress::add)), ErrorKind.NOT_FOUND);
        assertEquals("no app named 'web'; 'zdm ls' lists the apps", answer.message());
    }

    @Test
    void aScaleDownAnswersOnceTheRetiredWorkerIsGone() {
        f.start(SupervisorFixture.spec("web").instances(2).killTimeoutMs(5_000).build());
        f.host.advance(1_000);
        var retired = f.host.newest("web", 1);
        retired.ignoresStopSignal = true;
        var answer = askStepwise(s -> s.scale("web", 1, UID, progress::add));
        assertEquals("scaled web", message(answer));
        assertFalse(retired.alive(), "killed after kill_timeout, before the answer");
        assertEquals(List.of("online"), f.states("web"));
    }
}
