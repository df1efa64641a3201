package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A worker the running reload has already placed in its slot, stopped as asked by a scale down to none while the
 * reload goes on: its exit is the stop it was asked for, not a crash of a new worker that fails the reload.
 */
class ReloadScaleStopTest extends FixtureTest {
    @Test
    void aPlacedWorkerScaledAwayDuringTheReloadIsNotAFailedNewWorker() {
        f.start(SupervisorFixture.spec("web").instances(2).reloadParallel(1).minReadyMs(0L).build());
        f.host.advance(1_000);
        var outcome = f.reload("web");
        f.host.advance(1_000); // slot 0's replacement is ready and stable at once: placed; slot 1's turn begins
        var app = f.app("web");
        f.onLoop(() -> app.scale(0));
        f.host.advance(1_000);
        assertNotNull(outcome.get(), "the reload ended: " + f.events("web"));
        assertFalse(f.events("web").stream().anyMatch(e -> e.startsWith("reload-failed: worker 0: new pid")), f.events("web").toString());
        assertEquals(List.of(), f.host.alive("web"));
    }
}
