package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import zdm.proc.Signal;
import zdm.protocol.ErrorKind;

/**
 * {@code zdm restart <app|all>}: the hard restart. Every worker is stopped, and only once the last one is gone do
 * the new ones start; a stopped app starts, an errored slot is forgiven, a reload under way is interrupted.
 */
class RestartRequestTest extends RequestTest {

    @Test
    void restartStartsNoNewWorkerUntilTheLastOldOneIsGone() {
        f.start(SupervisorFixture.spec("web").instances(2).killTimeoutMs(5_000).build());
        f.host.advance(1_000);
        var old = f.host.alive("web");
        old.get(1).ignoresStopSignal = true;
        var answer = CompletableFuture.supplyAsync(() -> f.sup.restart("web", UID, progress::add));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!f.states("web").equals(List.of("stopped", "stopping")) && System.nanoTime() < deadline) Thread.onSpinWait();
        assertEquals(List.of(Signal.SIGTERM), old.get(1).signals);
        f.host.advance(4_999);
        assertFalse(old.get(0).alive());
        assertEquals(2, f.host.procs.size(), "no new worker while slot 1's old process still runs");
        f.host.advance(1); // kill_timeout: SIGKILL
        assertEquals(4, f.host.procs.size(), "both slots start once the last old worker is gone");
        f.host.advance(1_000);
        assertEquals("restarted web", message(answer.join()));
        assertEquals(List.of("online", "online"), f.states("web"));
    }

    @Test
    void restartOfAStoppedAppStartsItAndSavesThatItRuns() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        askNow(s -> s.stop("web", UID, progress::add));
        var answer = ask(s -> s.restart("web", UID, progress::add));
        assertEquals("restarted web", message(answer));
        assertEquals(List.of("online"), f.states("web"));
        assertTrue(storedRunning("web"));
        assertTrue(requested("web", "restart"), f.events("web").toString());
    }

    @Test
    void restartForgivesAnErroredSlotAndItsRestartCount() {
        f.start(SupervisorFixture.spec("web").maxRestarts(1).build());
        f.host.advance(1_000);
        f.host.newest("web", 0).exits(1); // stable: restarted after restart_delay
        f.host.advance(100);
        f.host.newest("web", 0).exits(1); // unstable 1 of max_restarts 1
        f.host.advance(100);
        f.host.newest("web", 0).exits(1); // unstable 2: errored
        assertEquals(List.of("errored"), f.states("web"));
        assertEquals(2, f.view("web").workers().getFirst().restarts());
        ask(s -> s.restart("web", UID, progress::add));
        assertEquals(List.of("online"), f.states("web"));
        assertEquals(0, f.view("web").workers().getFirst().restarts(), "a restart asked for forgives the past");
    }

    @Test
    void restartInterruptsAReloadUnderWay() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        var reload = f.reload("web");
        ask(s -> s.restart("web", UID, progress::add));
        assertFalse(reload.get().ok());
        assertEquals("reload interrupted: a restart was asked for", reload.get().failure());
        assertEquals(List.of("online"), f.states("web"));
        assertEquals(1, f.host.alive("web").size(), "the reload's candidate did not stay");
    }

    @Test
    void restartOfAnAppThatIsNotThereIsNotFound() {
        f.start(SupervisorFixture.spec("web").build());
        failed(askNow(s -> s.restart("wbe", UID, progress::add)), ErrorKind.NOT_FOUND);
    }

    @Test
    void restartAllRestartsEveryApp() {
        f.start(SupervisorFixture.spec("web").build());
        f.start(SupervisorFixture.spec("api").build());
        f.host.advance(1_000);
        assertEquals("restarted web, api", message(ask(s -> s.restart("all", UID, progress::add))));
        assertEquals(4, f.host.procs.size());
    }
}
