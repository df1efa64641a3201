package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * An app's commands, against the survivors of App's PIT run after its split: each command called off
 * the supervision loop fails loudly, before it changes anything, instead of racing the loop (the loop
 * is the one owner of supervisor state).
 */
class AppCommandsTest extends RequestTest {

    @Test
    void eachCommandOffTheLoopFailsLoudly() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        var app = f.on(() -> f.sup.registry().apps().get("web"));
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
