package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An app scaled down and back up before the scaled-away worker is gone (it takes its kill_timeout, a second client
 * asks meanwhile) ends with every wanted slot running: the slot that was still stopping starts afresh once its old
 * process is gone. It stayed empty before (2 wanted, 1 running, for good).
 */
class ScaleBackUpTest extends RequestTest {
    @Test
    void aSlotScaledAwayAndBackWhileItsWorkerStillStopsStartsAfresh() {
        f.start(SupervisorFixture.spec("web").instances(2).killTimeoutMs(10_000).build());
        f.host.advance(1_000);
        var slow = f.host.newest("web", 1);
        slow.ignoresStopSignal = true; // it takes its whole kill_timeout to go
        var app = f.app("web");
        f.onLoop(() -> app.scale(1)); // as `zdm scale web 1` does, whose answer waits for the slot to go
        assertEquals(List.of("online", "stopping"), f.states("web"));
        var answer = ask(s -> s.scale("web", 2, UID, progress::add)); // another client scales back up meanwhile
        assertEquals("scaled web", message(answer));
        assertEquals(List.of("online", "online"), f.states("web"));
        assertTrue(!slow.alive() && slow.signals.contains(zdm.proc.Signal.SIGKILL), "the old process went its way: " + slow.signals);
        assertEquals(2, f.host.alive("web").size(), f.events("web").toString());
        assertEquals(List.of(0, 1), f.store.workers().stream().filter(w -> w.app().equals("web")).map(w -> w.id()).sorted().toList(),
                "the slot's record is the new worker's");
    }
}
