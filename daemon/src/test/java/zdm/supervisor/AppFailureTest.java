package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import zdm.protocol.AppView;
import zdm.protocol.Response;

/**
 * An unexpected exception while handling one app (here: the host fails to stop its processes)
 * marks that app errored with the message, the request still gets an answer, and the loop goes on
 * supervising the other apps.
 */
class AppFailureTest extends FixtureTest {

    @BeforeEach
    void setUp() {
        f.start(SupervisorFixture.spec("bad").build());
        f.start(SupervisorFixture.spec("good").build());
        f.host.advance(1_000);
        f.host.brokenTerminate.add("bad");
    }

    @Test
    void anExceptionInARequestErrorsThatAppAndTheRequestIsAnswered() throws Exception {
        var answer = CompletableFuture.supplyAsync(() -> f.sup.stop("bad", 0, line -> { })).get(30, TimeUnit.SECONDS);
        assertTrue(answer instanceof Response.Apps, String.valueOf(answer));
        assertEquals(List.of("errored"), f.states("bad"));
        assertTrue(f.hasEvent("bad", "errored: internal error: java.lang.IllegalStateException: terminate is broken for bad"
                + " (stack trace in daemon.log)"),
                f.events("bad").toString());
        assertEquals(List.of("online"), f.states("good"));
        f.host.newest("good", 0).exits(1);
        f.host.advance(1_200);
        assertEquals(List.of("online"), f.states("good"), "the loop goes on restarting the other app");
    }

    @Test
    void anExceptionInAnExitHandlerErrorsThatAppOnly() {
        f.host.newest("bad", 0).exits(1); // its leftovers' stop throws
        assertEquals(List.of("errored"), f.states("bad"));
        assertEquals(AppView.Status.ERRORED, f.view("bad").status());
        assertEquals(List.of("online"), f.states("good"));
    }
}
