package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.protocol.ErrorKind;
import zdm.protocol.Response;

/** {@code zdm delete <app|all>}: the app's workers stop, then it leaves the registry, the store and the metrics. */
class DeleteRequestTest extends RequestTest {

    @Test
    void deleteStopsTheWorkersAndForgetsTheApp() {
        f.start(SupervisorFixture.spec("web").instances(2).build());
        f.start(SupervisorFixture.spec("api").build());
        f.host.advance(1_000);
        var answer = assertInstanceOf(Response.Done.class, askNow(s -> s.delete("web", UID, progress::add)));
        assertEquals("deleted web", answer.message());
        assertTrue(f.host.alive("web").isEmpty());
        assertEquals(List.of("api"), f.sup.appNames());
        assertTrue(f.store.app("web").isEmpty(), "a daemon restart does not bring it back");
        assertTrue(requested("web", "deleted"), f.events("web").toString());
        assertEquals(List.of("online"), f.states("api"));
    }

    @Test
    void deleteAllDeletesEveryApp() {
        f.start(SupervisorFixture.spec("web").build());
        f.start(SupervisorFixture.spec("api").build());
        f.host.advance(1_000);
        assertEquals("deleted web, api", message(askNow(s -> s.delete("all", UID, progress::add))));
        assertEquals(List.of(), f.sup.appNames());
        assertTrue(f.store.apps().isEmpty());
    }

    @Test
    void anAppRegisteredAgainAfterDeleteStartsWithFreshCounters() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        f.host.newest("web", 0).exits(1);
        f.host.advance(1_000);
        assertEquals(1, f.sup.metrics().getFirst().counters().restarts(0));
        askNow(s -> s.delete("web", UID, progress::add));
        f.start(SupervisorFixture.spec("web").build());
        assertEquals(0, f.sup.metrics().getFirst().counters().restarts(0), "the metrics of the deleted app went with it");
    }

    @Test
    void deleteOfAnAppThatIsNotThereIsNotFoundAndDeletesNothing() {
        f.start(SupervisorFixture.spec("web").build());
        failed(askNow(s -> s.delete("api", UID, progress::add)), ErrorKind.NOT_FOUND);
        assertEquals(List.of("web"), f.sup.appNames());
    }

    @Test
    void aDeleteThatCannotBeSavedStillDeletesAndSaysWhatADaemonRestartWouldDo() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        f.store.close();
        assertEquals("deleted web", message(askNow(s -> s.delete("web", UID, progress::add))));
        assertEquals(List.of(), f.sup.appNames());
        assertTrue(progress.stream().anyMatch(l -> l.startsWith("warning: ") && l.endsWith(
                "; web is deleted now, but a daemon restart would bring it back")), progress.toString());
        assertFalse(f.host.newest("web", 0).alive());
    }

    @Test
    void aDeletedAppsCronRestartHasNoTimerLeft() {
        f.start(SupervisorFixture.spec("web").cronRestart("* * * * *").build());
        f.host.advance(1_000);
        askNow(s -> s.delete("web", UID, progress::add));
        f.host.advance(120_000);
        assertEquals(0, f.host.pendingTimers(), "nothing of the deleted app is scheduled");
    }
}
