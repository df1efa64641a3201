package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.proc.Signal;
import zdm.protocol.AppView;
import zdm.protocol.ErrorKind;
import zdm.protocol.Response;

/**
 * {@code zdm stop <app|all>}: the stopped state is saved first, every worker gets its stop signal, and the answer
 * comes once they are gone; {@code stop all} leaves the apps already stopped alone and names them.
 */
class StopRequestTest extends RequestTest {

    @Test
    void stopSignalsEveryWorkerAndAnswersOnceTheyAreGone() {
        f.start(SupervisorFixture.spec("web").instances(2).build());
        f.host.advance(1_000);
        var procs = f.host.alive("web");
        var answer = assertInstanceOf(Response.Apps.class, askNow(s -> s.stop("web", UID, progress::add)));
        assertEquals("stopped web", answer.message());
        assertTrue(procs.stream().allMatch(p -> p.signals.equals(List.of(Signal.SIGTERM))), "each got its stop signal once");
        assertEquals(List.of("stopped", "stopped"), f.states("web"));
        assertEquals(AppView.Status.STOPPED, answer.apps().getFirst().status());
        assertEquals(AppView.Desired.STOPPED, answer.apps().getFirst().desired());
    }

    @Test
    void stopIsSavedSoThatADaemonRestartLeavesTheAppStopped() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        assertTrue(storedRunning("web"));
        askNow(s -> s.stop("web", UID, progress::add));
        assertFalse(storedRunning("web"));
        assertTrue(requested("web", "stop"), "the stop is recorded with the uid that asked: " + f.events("web"));
    }

    @Test
    void theClientSeesTheStoppedWorkersEventsAsTheyHappen() {
        f.start(SupervisorFixture.spec("web").build());
        f.start(SupervisorFixture.spec("other").build());
        f.host.advance(1_000);
        askNow(s -> s.stop("web", UID, progress::add));
        assertTrue(progress.stream().anyMatch(l -> l.startsWith("web[0] stopped: pid ")), progress.toString());
        assertTrue(progress.stream().noneMatch(l -> l.startsWith("other")), "only the target's events: " + progress);
    }

    @Test
    void aWorkerWaitingToRestartIsStoppedWithoutWaitingForItsBackoff() {
        f.start(SupervisorFixture.spec("web").restartDelayMs(60_000).build());
        f.host.advance(1_000);
        f.host.newest("web", 0).exits(1);
        assertEquals(List.of("waiting-restart"), f.states("web"));
        var answer = askNow(s -> s.stop("web", UID, progress::add));
        assertEquals("stopped web", message(answer));
        assertEquals(List.of("stopped"), f.states("web"));
        f.host.advance(60_000);
        assertEquals(1, f.host.procs.size(), "the backoff's start does not happen after the stop");
    }

    @Test
    void stopAllLeavesTheAppsAlreadyStoppedAloneAndNamesThem() {
        f.start(SupervisorFixture.spec("api").build());
        f.start(SupervisorFixture.spec("web").build());
        f.start(SupervisorFixture.spec("jobs").build());
        f.host.advance(1_000);
        askNow(s -> s.stop("jobs", UID, progress::add));
        askNow(s -> s.stop("api", UID, progress::add));
        long stopsOfApi = f.events("api").stream().filter(e -> e.equals("stop")).count();
        var answer = askNow(s -> s.stop("all", UID, progress::add));
        assertEquals("stopped web; skipped: api, jobs (already stopped)", message(answer));
        assertEquals(List.of("stopped"), f.states("web"));
        assertEquals(stopsOfApi, f.events("api").stream().filter(e -> e.equals("stop")).count(), "no second stop recorded");
    }

    @Test
    void stopAllWithEveryAppStoppedAnswersThatThereIsNothingToStop() {
        f.start(SupervisorFixture.spec("web").build());
        f.start(SupervisorFixture.spec("api").build());
        f.host.advance(1_000);
        askNow(s -> s.stop("all", UID, progress::add));
        var again = assertInstanceOf(Response.Done.class, askNow(s -> s.stop("all", UID, progress::add)));
        assertEquals("nothing to stop; skipped: api, web (already stopped)", again.message());
    }

    @Test
    void stopAllStopsAnAppThatIsStoppedButStillHasAWorkerOnItsWayDown() {
        f.start(SupervisorFixture.spec("web").killTimeoutMs(5_000).build());
        f.host.advance(1_000);
        var stubborn = f.host.newest("web", 0);
        stubborn.ignoresStopSignal = true;
        f.onLoop(() -> f.sup.registry().apps().get("web").stop(false)); // stopping, but not gone
        assertEquals(List.of("stopping"), f.states("web"));
        var answer = ask(s -> s.stop("all", UID, progress::add));
        assertEquals("stopped web", message(answer), "not skipped as already stopped, and waited for");
        assertFalse(stubborn.alive());
    }

    @Test
    void stopOfAnAppThatIsNotThereIsNotFoundWithASuggestion() {
        f.start(SupervisorFixture.spec("web").build());
        var answer = failed(askNow(s -> s.stop("wbe", UID, progress::add)), ErrorKind.NOT_FOUND);
        assertEquals("no app named 'wbe'; did you mean \"web\"?", answer.message());
        assertEquals(List.of("starting"), f.states("web"));
    }

    @Test
    void aStopThatCannotBeSavedStillStopsAndSaysWhatADaemonRestartWouldDo() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        f.store.close(); // a store that refuses every write, as a full or read-only disk does
        var answer = askNow(s -> s.stop("web", UID, progress::add));
        assertEquals("stopped web", message(answer));
        assertEquals(List.of("stopped"), f.states("web"));
        assertTrue(progress.stream().anyMatch(l -> l.startsWith("warning: ") && l.endsWith(
                "; web is stopped now, but a daemon restart would start it again")), progress.toString());
    }
}
