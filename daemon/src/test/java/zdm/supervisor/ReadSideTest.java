package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import zdm.config.Secrets;
import zdm.protocol.AppView;
import zdm.protocol.ErrorKind;
import zdm.protocol.Response;
import zdm.protocol.WorkerView;

/**
 * The supervisor's read side as clients ask it ({@code ls}, {@code describe}, a metrics scrape, the daemon's own
 * polls): each answer is what the apps are at that moment, asked from a client thread.
 */
class ReadSideTest extends RequestTest {
    @Test
    void lsListsEveryAppWithItsWorkers() {
        f.start(SupervisorFixture.spec("web").instances(2).build());
        f.start(SupervisorFixture.spec("queue").build());
        f.host.advance(1_000);
        var apps = assertInstanceOf(Response.Apps.class, askNow(Supervisor::list)).apps();
        assertEquals(List.of("queue", "web"), apps.stream().map(AppView::name).sorted().toList());
        var web = apps.stream().filter(a -> a.name().equals("web")).findFirst().orElseThrow();
        assertEquals(AppView.Status.RUNNING, web.status());
        assertEquals(List.of(f.host.newest("web", 0).pid, f.host.newest("web", 1).pid), web.workers().stream().map(WorkerView::pid).toList());
        assertEquals(List.of("queue", "web"), f.sup.appNames().stream().sorted().toList());
        assertEquals(apps.stream().map(AppView::name).toList(), f.sup.views().stream().map(AppView::name).toList());
    }

    @Test
    void describeOfAnUnknownAppSuggestsTheNearestName() {
        f.start(SupervisorFixture.spec("web").build());
        var failed = failed(askNow(s -> s.describe("wbe")), ErrorKind.NOT_FOUND);
        assertTrue(failed.message().startsWith("no app named 'wbe'") && failed.message().contains("\"web\""), failed.message());
        failed = failed(askNow(s -> s.describe("zzzzzzzz")), ErrorKind.NOT_FOUND);
        assertEquals("no app named 'zzzzzzzz'; 'zdm ls' lists the apps", failed.message());
        failed = failed(askNow(s -> s.describe("0")), ErrorKind.NOT_FOUND);
        assertEquals("no app named '0': zdm has no numeric ids, name the app ('zdm ls' lists them)", failed.message());
    }

    @Test
    void describeShowsTheAppItsSpecItsLogFilesAndItsNewestEvents() {
        f.start(SupervisorFixture.spec("web").instances(2).env(Map.of("DB_PASSWORD", "hunter2")).build());
        f.host.advance(1_000);
        for (int i = 0; i < 12; i++) { // more events than describe shows
            f.host.newest("web", 0).exits(1);
            f.host.advance(60_000);
        }
        var detail = assertInstanceOf(Response.Described.class, askNow(s -> s.describe("web"))).app();
        assertEquals("web", detail.view().name());
        assertEquals(2, detail.view().workers().size());
        assertEquals(2, detail.spec().instances());
        assertEquals(Secrets.MASK, detail.spec().env().get("DB_PASSWORD"));
        assertEquals(home.resolve("logs").resolve("web.out.log").toString(), detail.outLog());
        assertEquals(home.resolve("logs").resolve("web.err.log").toString(), detail.errLog());
        assertEquals(20, detail.events().size(), "the newest 20");
        var all = f.store.events("web", 500);
        assertEquals(all.getLast().id(), detail.events().getLast().id(), "the newest last");
        var shown = assertInstanceOf(Response.Described.class, askNow(s -> s.describe("web", true))).app();
        assertEquals("hunter2", shown.spec().env().get("DB_PASSWORD"), "--show-secrets");
    }

    @Test
    void aMetricsScrapeCountsTheReadyWorkersAndRestartsOfEachApp() {
        f.start(SupervisorFixture.spec("web").instances(2).build());
        f.start(SupervisorFixture.spec("idle").build());
        f.host.advance(1_000);
        f.onLoop(() -> f.sup.registry().apps().get("idle").stop(false));
        f.host.newest("web", 1).exits(1); // waiting to restart
        var samples = f.sup.metrics();
        var web = samples.stream().filter(s -> s.name().equals("web")).findFirst().orElseThrow();
        assertEquals(2, web.desired());
        assertEquals(1, web.ready());
        assertEquals(List.of(WorkerView.State.ONLINE, WorkerView.State.WAITING_RESTART), web.workers().stream().map(w -> w.state()).toList());
        assertEquals(List.of(0L, 1L), web.workers().stream().map(w -> w.restarts()).toList());
        assertEquals(f.host.newest("web", 0).pid, web.workers().getFirst().pid());
        assertEquals(0, web.workers().get(1).pid());
        var idle = samples.stream().filter(s -> s.name().equals("idle")).findFirst().orElseThrow();
        assertEquals(0, idle.desired(), "a stopped app wants no worker");
        assertEquals(0, idle.ready());
    }

    @Test
    void anAppsSourceAndCallersEnvironmentAreKnownByName() {
        f.start(SupervisorFixture.spec("web").source("/srv/zdm.yaml").callerEnv(Map.of("HOME", "/root")).build());
        f.start(SupervisorFixture.spec("api").source("/srv/zdm.yaml").build());
        f.start(SupervisorFixture.spec("adhoc").build());
        assertEquals(List.of("api", "web"), f.sup.appsFrom("/srv/zdm.yaml").stream().sorted().toList());
        assertEquals(List.of(), f.sup.appsFrom("/srv/other.yaml"));
        assertEquals("/srv/zdm.yaml", f.sup.sourceOf("web"));
        assertEquals(null, f.sup.sourceOf("nope"));
        assertEquals(Optional.of(Map.of("HOME", "/root")), f.sup.callerEnvOf("web"));
        assertEquals(Optional.empty(), f.sup.callerEnvOf("nope"));
    }

    @Test
    void whenSettledAnswersOnceEveryAppsWorkersAreOnline() throws Exception {
        f.start(SupervisorFixture.spec("web").instances(2).build());
        var settled = f.sup.whenSettled();
        assertFalse(settled.isDone(), "starting");
        f.host.advance(1_000);
        assertTrue(settled.get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(f.sup.whenSettled().getNow(false), "settled already: at once");
    }

    @Test
    void aMetricsScrapeReadsARunningWorkersMemoryFromItsProcessTree() throws Exception {
        var sleeper = new ProcessBuilder("sleep", "60").start(); // a real pid to read; never signalled by the fake host
        try {
            f.host.pidOfNext = sleeper.pid();
            f.start(SupervisorFixture.spec("web").build());
            f.host.advance(1_000);
            var worker = f.sup.metrics().getFirst().workers().getFirst();
            assertEquals(sleeper.pid(), worker.pid());
            assertTrue(worker.rssBytes() > 0, "read from /proc: " + worker.rssBytes());
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
    }
}
