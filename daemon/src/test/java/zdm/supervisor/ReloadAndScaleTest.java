package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A scale down while a reload runs ({@link RollingReload}): a slot that is taken away is not replaced. One still
 * waiting for its turn is skipped and not counted; a replacement already in its stability window whose slot went is
 * stopped, not left running; either way the reload ends.
 */
class ReloadAndScaleTest extends FixtureTest {
    private App web() {
        return f.sup.registry().apps().get("web");
    }

    @Test
    void aSlotScaledAwayBeforeItsTurnIsSkippedAndNotCounted() {
        f.start(SupervisorFixture.spec("web").instances(2).reloadParallel(1).minReadyMs(0L).build());
        f.host.advance(1_000);
        var outcome = f.reload("web");
        assertEquals(List.of("online", "online"), f.states("web"), "slot 0's replacement is starting, slot 1 waits its turn");
        f.onLoop(() -> web().scale(1));
        f.host.advance(1_000); // slot 0's replacement is ready (and stable at once); slot 1 is gone
        assertNotNull(outcome.get(), "the reload ended: " + f.events("web"));
        assertTrue(outcome.get().ok(), outcome.get().toString());
        assertTrue(f.hasEventStarting("web", "reload-end: 1 of 1 worker(s) replaced in "), f.events("web").toString());
        assertEquals(List.of("online"), f.states("web"));
    }

    @Test
    void aReplacementWhoseSlotWasScaledAwayDuringItsStabilityWindowIsStopped() {
        f.start(SupervisorFixture.spec("web").instances(2).reloadParallel(2).minReadyMs(5_000L).build());
        f.host.advance(1_000);
        var outcome = f.reload("web");
        f.host.advance(1_000); // both replacements ready, in their stability window
        var candidate = f.host.newest("web", 1);
        assertTrue(candidate.alive());
        f.onLoop(() -> web().scale(1));
        f.host.advance(5_000); // the windows pass: slot 0's replacement takes it, slot 1's finds no slot
        assertFalse(candidate.alive(), "the replacement of a slot that went is stopped: " + f.events("web"));
        assertNotNull(outcome.get(), "the reload ended: " + f.events("web"));
        assertEquals(List.of("online"), f.states("web"));
        assertEquals(1, f.host.alive("web").size(), f.events("web").toString());
    }

    /**
     * The slot's old worker is still on its way out (it ignores its stop signal) when the replacement's window ends:
     * the slot is going all the same, so the replacement is stopped. It used to take the slot, which a scale down had
     * removed, and stop the old worker a second time: "illegal transition stopping -> stopping", the app errored.
     */
    @Test
    void aReplacementWhoseSlotIsStillStoppingWhenItsWindowEndsIsStoppedToo() {
        f.start(SupervisorFixture.spec("web").instances(2).reloadParallel(2).minReadyMs(5_000L).killTimeoutMs(10_000L).build());
        f.host.advance(1_000);
        var old = f.host.newest("web", 1);
        old.ignoresStopSignal = true; // still stopping when the window of its slot's replacement ends
        var outcome = f.reload("web");
        f.host.advance(1_000); // both replacements ready, in their stability window
        var candidate = f.host.newest("web", 1);
        f.onLoop(() -> web().scale(1));
        f.host.advance(5_000); // the windows pass while slot 1's old worker waits for its SIGKILL
        assertFalse(f.events("web").stream().anyMatch(e -> e.contains("internal error")), f.events("web").toString());
        f.host.advance(10_000);
        assertFalse(candidate.alive(), "the replacement of a slot that is going is stopped: " + f.events("web"));
        assertNotNull(outcome.get(), "the reload ended: " + f.events("web"));
        assertEquals(List.of("online"), f.states("web"));
        assertEquals(1, f.host.alive("web").size(), f.events("web").toString());
    }
}
