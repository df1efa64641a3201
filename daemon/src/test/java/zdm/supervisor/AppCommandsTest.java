package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * An app's commands, against the survivors of App's PIT run after its split: a restart gives an
 * errored slot its max_restarts again (through the start that follows its stop, as zdm start does;
 * restart's own reset of errored slots was redundant and is gone), and each command called off the
 * supervision loop fails loudly instead of racing the loop (the loop is the one owner of supervisor state).
 */
class AppCommandsTest extends RequestTest {

    private App web() {
        return f.on(() -> f.sup.registry().apps().get("web"));
    }

    @Test
    void restartGivesAnErroredSlotItsMaxRestartsAgain() {
        f.start(SupervisorFixture.spec("web").maxRestarts(1).build());
        f.host.advance(1_000);
        f.host.newest("web", 0).exits(1); // stable: restarted
        f.host.advance(100);
        f.host.newest("web", 0).exits(1); // unstable 1 of 1
        f.host.advance(100);
        f.host.newest("web", 0).exits(1); // unstable 2: errored
        assertEquals(List.of("errored"), f.states("web"));
        var app = web();
        f.onLoop(app::restart);
        assertEquals(List.of("starting"), f.states("web"));
        assertEquals(0, f.view("web").workers().getFirst().restarts(), "the errored slot's count starts again");
        f.host.newest("web", 0).exits(1); // unstable 1 of 1 again: restarted, not errored
        assertEquals(List.of("waiting-restart"), f.states("web"));
    }

    @Test
    void eachCommandOffTheLoopFailsLoudly() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        var app = web();
        var spec = app.spec();
        for (Executable command : List.<Executable>of(app::start, () -> app.stop(true), app::restart,
                () -> app.reload(spec, outcome -> {}), () -> app.scale(2))) {
            var e = assertThrows(IllegalStateException.class, command);
            assertEquals("supervisor state touched off the supervision loop", e.getMessage());
            // refused before it touched anything (a check further down would throw too, but after a change)
            assertEquals("1 true false true", f.on(() -> app.spec().instances() + " " + app.desiredRunning() + " "
                    + app.restartPending() + " " + (app.reload() == null)));
        }
        assertEquals(List.of("online"), f.states("web"), "nothing changed");
    }
}
