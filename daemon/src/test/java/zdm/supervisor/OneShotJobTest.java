package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import zdm.protocol.AppView;
import zdm.protocol.Response;
import zdm.protocol.WorkerView;

/**
 * One-shot jobs: an {@code autorestart: false} worker that exits 0 is stopped (exit 0), its app is
 * stopped rather than degraded, {@code reload all} skips it and says so, and a start runs it again.
 */
class OneShotJobTest extends FixtureTest {
    @Test
    void aJobThatExitsZeroIsDoneNotDegradedAndRunsAgainOnStart() throws Exception {
        f.start(SupervisorFixture.spec("job").autorestart(false).build());
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        var run = f.host.newest("job", 0);
        f.host.advance(500);
        run.exits(0);
        var view = f.view("job");
        assertEquals(AppView.Status.STOPPED, view.status());
        assertEquals(WorkerView.State.STOPPED, view.workers().getFirst().state());
        assertEquals("code 0", view.workers().getFirst().lastExit());

        var reload = CompletableFuture.supplyAsync(() -> f.sup.reload("all", 0, line -> { }));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (f.app("web").reload() == null && !reload.isDone() && System.nanoTime() < deadline) Thread.sleep(5);
        f.host.advance(5_000);
        var answer = reload.get(30, TimeUnit.SECONDS);
        assertTrue(answer instanceof Response.Apps a && a.message().contains("skipped job (one-shot, finished)"), String.valueOf(answer));

        f.onLoop(() -> f.sup.registry().apps().get("job").start());
        assertEquals(2, f.host.procs.stream().filter(p -> p.app.equals("job")).count(), "started again");
        assertEquals(List.of("starting"), f.states("job"));
    }

    @Test
    void aJobWithOneWorkerDoneAndTheOtherOnlineIsRunning() {
        // the done slot counts as satisfied, like an online one (Views.status counts both in one pass)
        f.start(SupervisorFixture.spec("job").instances(2).autorestart(false).build());
        f.host.advance(1_000);
        f.host.newest("job", 0).exits(0);
        assertEquals(List.of("stopped", "online"), f.states("job"));
        assertEquals(AppView.Status.RUNNING, f.view("job").status());
    }

    @Test
    void aJobThatFailsIsNotCompleted() {
        f.start(SupervisorFixture.spec("job").autorestart(false).build());
        f.host.newest("job", 0).exits(3);
        assertEquals(AppView.Status.DEGRADED, f.view("job").status());
    }
}
