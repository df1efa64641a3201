package zdm.supervisor;

import zdm.net.FreePorts;
import zdm.config.Readiness;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import zdm.protocol.ErrorKind;
import zdm.protocol.Response;

/**
 * {@code zdm reload <app|all> [--update-env]} and SIGHUP: a rolling reload of each app of the target, answered
 * with how many workers were replaced and how long the slowest app took. A named app that cannot be reloaded
 * (stopped, busy) refuses the whole request; {@code reload all} skips such apps and names them.
 */
class ReloadRequestTest extends RequestTest {

    @Test
    void reloadAnswersHowManyWorkersWereReplacedAndHowLongTheSlowestAppTook() {
        f.start(SupervisorFixture.spec("web").instances(2).build()); // two starts and one window: 3 s
        f.start(SupervisorFixture.spec("api").minUptimeMs(2_000).build()); // one start and one window: 4 s
        f.host.advance(2_000);
        var answer = assertInstanceOf(Response.Apps.class, ask(s -> s.reload("all", UID, progress::add)));
        assertEquals("reloaded web, api: 3 worker(s) replaced in 4000 ms", answer.message());
        assertEquals(3, f.host.alive("web").size() + f.host.alive("api").size());
        assertEquals(6, f.host.procs.size());
        assertEquals(2, answer.apps().size());
    }

    @Test
    void reloadAllOfNoAppsAnswersAtOnce() {
        assertEquals(new Response.Done("no apps to reload"), askNow(s -> s.reload("all", UID, progress::add)));
    }

    @Test
    void reloadOfAStoppedAppIsRefused() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        askNow(s -> s.stop("web", UID, progress::add));
        var answer = failed(askNow(s -> s.reload("web", UID, progress::add)), ErrorKind.FAILED);
        assertEquals("web is stopped; start it with 'zdm start web'", answer.message());
        assertEquals(1, f.host.procs.size());
    }

    @Test
    void aNamedReloadIsRefusedWholeWhenOneAppIsBusy() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        f.reload("web");
        f.host.advance(500);
        var answer = failed(askNow(s -> s.reload("web", UID, progress::add)), ErrorKind.FAILED);
        assertEquals("web is already reloading (for 500 ms); wait for it to finish ('zdm ls' shows its progress)", answer.message());
        assertEquals(2, f.host.procs.size(), "no second candidate");
    }

    @Test
    void aReloadDuringARestartIsRefused() {
        f.start(SupervisorFixture.spec("web").killTimeoutMs(5_000).build());
        f.host.advance(1_000);
        f.host.newest("web", 0).ignoresStopSignal = true;
        f.onLoop(() -> f.sup.registry().apps().get("web").restart());
        var answer = failed(askNow(s -> s.reload("web", UID, progress::add)), ErrorKind.FAILED);
        assertEquals("web is restarting; reload it once the restart is done", answer.message());
    }

    @Test
    void aReloadWhileAWorkerIsReplacedIsRefusedAndSaysWhatIsGoingOn() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        f.onLoop(() -> f.sup.registry().apps().get("web").replaceWorker(0, outcome -> { }));
        var answer = failed(askNow(s -> s.reload("web", UID, progress::add)), ErrorKind.FAILED);
        assertTrue(answer.message().startsWith("web is already replacing a worker (for 0 ms)"), answer.message());
    }

    @Test
    void reloadAllSkipsTheAppsThatCannotBeReloadedAndNamesThem() {
        f.start(SupervisorFixture.spec("web").build());
        f.start(SupervisorFixture.spec("api").build());
        f.host.advance(1_000);
        askNow(s -> s.stop("api", UID, progress::add));
        var answer = ask(s -> s.reload("all", UID, progress::add));
        assertEquals("reloaded web: 1 worker(s) replaced in 2000 ms; skipped: api is stopped; start it with 'zdm start api'",
                message(answer));
    }

    @Test
    void reloadAllWithEveryAppStoppedHasNothingToReload() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        askNow(s -> s.stop("web", UID, progress::add));
        assertEquals(new Response.Done("nothing to reload; skipped: web is stopped; start it with 'zdm start web'"),
                askNow(s -> s.reload("all", UID, progress::add)));
    }

    @Test
    void aFinishedOneShotJobIsNotReloadedEvenByName() {
        f.start(SupervisorFixture.spec("job").autorestart(false).build());
        f.host.newest("job", 0).exits(0);
        assertEquals(new Response.Done("nothing to reload; skipped job (one-shot, finished)"),
                askNow(s -> s.reload("job", UID, progress::add)));
        assertEquals(1, f.host.procs.size());
    }

    @Test
    void aFailedReloadAnswersWhyAndHowFarItGot() {
        f.start(SupervisorFixture.spec("web").instances(2).build());
        f.host.advance(1_000);
        var answer = CompletableFuture.supplyAsync(() -> f.sup.reload("web", UID, progress::add));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (f.host.procs.size() < 3 && System.nanoTime() < deadline) f.host.settle();
        f.host.advance(300);
        f.host.newest("web", 0).exits(3);
        var failed = failed(answer.join(), ErrorKind.FAILED);
        assertEquals("reload of web failed: worker 0: new pid " + f.host.newest("web", 0).pid + " exited (code 3) after 300 ms, "
                + "before it was ready and stable for min_ready_time 1000 ms; 0 of 2 workers replaced, the others keep serving",
                failed.message());
        assertEquals(List.of("online", "online"), f.states("web"));
    }

    @Test
    void reloadWithUpdateEnvRecordsTheChangedNamesAndKeepsTheNewEnvironment() {
        f.start(SupervisorFixture.spec("web").env(Map.of("GREETING", "hello", "TOKEN", "s3cret")).build());
        f.host.advance(1_000);
        ask(s -> s.reload("web", Map.of("TOKEN", "n3w", "GREETING", "hello"), UID, progress::add));
        assertTrue(f.hasEvent("web", "reload: --update-env: 1 variable(s) changed: TOKEN"), f.events("web").toString());
        assertFalse(f.events("web").toString().contains("n3w"), "values may be secrets: only names are recorded");
        assertEquals("n3w", f.store.app("web").orElseThrow().spec().process().env().get("TOKEN"));
    }

    @Test
    void aFailedReloadWithUpdateEnvPutsThePreviousEnvironmentBack() {
        f.start(SupervisorFixture.spec("web").env(Map.of("TOKEN", "old")).build());
        f.host.advance(1_000);
        f.host.spawnFailures.put("web", "cannot run 'node': not found on PATH");
        failed(ask(s -> s.reload("web", Map.of("TOKEN", "new"), UID, progress::add)), ErrorKind.FAILED);
        assertEquals("old", f.on(() -> f.sup.registry().apps().get("web").spec().process().env().get("TOKEN")));
        assertEquals("old", f.store.app("web").orElseThrow().spec().process().env().get("TOKEN"));
    }

    @Test
    void aReloadOfAnAppThatIsNotThereIsNotFound() {
        var answer = failed(askNow(s -> s.reload("nope", UID, progress::add)), ErrorKind.NOT_FOUND);
        assertEquals("no app named 'nope'; 'zdm ls' lists the apps", answer.message());
    }

    @Test
    void aReloadWhoseNewWorkerIsNeverReadyFailsNamingItsReadinessCheck() throws Exception {
        f.start(SupervisorFixture.spec("api").port(FreePorts.reserve()).ready(new Readiness.Tcp()).listenTimeoutMs(2_000).build());
        f.host.advance(1_000);
        assertEquals(List.of("online"), f.states("api"));
        var old = f.host.newest("api", 0);
        f.host.listenAtOnce = false; // the new worker never accepts
        try {
            var answer = failed(ask(s -> s.reload("api", UID, progress::add)), ErrorKind.FAILED);
            var candidate = f.host.newest("api", 0);
            assertTrue(answer.message().startsWith("reload of api failed: worker 0: new pid " + candidate.pid
                    + " did not accept connections on its PORT " + candidate.port + " within listen_timeout 2000 ms"), answer.message());
            assertTrue(old.alive(), "the old worker keeps serving");
            assertEquals(List.of("online"), f.states("api"));
        } finally {
            f.onLoop(() -> f.sup.registry().apps().values().forEach(App::closeListener));
        }
    }

    @Test
    void reloadAllNamesAFinishedJobThatWasStoppedOnceAsFinished() {
        f.start(SupervisorFixture.spec("job").autorestart(false).build());
        f.host.newest("job", 0).exits(0);
        askNow(s -> s.stop("job", UID, progress::add));
        assertEquals(new Response.Done("nothing to reload; skipped job (one-shot, finished)"),
                askNow(s -> s.reload("all", UID, progress::add)), "not also as stopped");
    }

    @Test
    void aReloadDuringWhichTheAppErrorsIsAnsweredWithTheErrorAtOnce() {
        f.start(SupervisorFixture.spec("web").instances(3).reloadParallel(2).minReadyMs(0L).build());
        f.host.advance(1_000);
        f.host.brokenTerminate.add("web"); // the first old worker's stop throws: an internal error while a replacement
                                           // is still starting and a slot still waits for its turn
        var answer = failed(ask(s -> s.reload("web", UID, progress::add)), ErrorKind.FAILED);
        assertTrue(answer.message().startsWith("reload of web failed: internal error: java.lang.IllegalStateException: terminate is broken"
                + " for web"), answer.message());
        assertTrue(f.hasEventStarting("web", "errored: internal error: "), f.events("web").toString());
    }
}
