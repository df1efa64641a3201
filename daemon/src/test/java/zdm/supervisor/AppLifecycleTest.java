package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.config.LogFiles;
import zdm.net.FreePorts;
import zdm.protocol.WorkerView;
import zdm.store.WorkerRecord;

/**
 * What an app does with its workers across start, stop, reload and an internal error, as {@code zdm ls}, the
 * metrics, the logs and the store (what the next daemon restores from) show it.
 */
class AppLifecycleTest extends RequestTest {

    private WorkerRecord record(String app, int id) {
        return f.store.workers().stream().filter(w -> w.app().equals(app) && w.id() == id).findFirst().orElseThrow();
    }

    private void crashOnceAndComeBack(String app) {
        f.host.newest(app, 0).exits(1);
        f.host.advance(1_100);
        assertEquals(List.of("online"), f.states(app));
    }

    @Test
    void aWorkerBehindTheProxyLeavesTheRotationBeforeItGetsItsStopSignal() throws IOException {
        f.start(SupervisorFixture.spec("web").port(FreePorts.reserve()).build());
        f.host.advance(1_000);
        long pid = f.host.newest("web", 0).pid;
        askNow(s -> s.stop("web", UID, progress::add));
        var events = f.events("web");
        int drained = events.indexOf("drained: pid " + pid + " drained 0 connection(s) in 0 ms");
        int stopped = events.indexOf("stopped: pid " + pid + " signal SIGTERM");
        assertTrue(drained >= 0 && drained < stopped, events.toString());
    }

    @Test
    void aStoppedAppsPortIsClosedAndOpensAgainWithItsStart() throws IOException {
        int port = FreePorts.reserve();
        f.start(SupervisorFixture.spec("web").port(port).build());
        f.host.advance(1_000);
        askNow(s -> s.stop("web", UID, progress::add));
        assertTrue(portIsFree(port), "a stopped app holds no port");
        assertEquals("started web", message(ask(s -> s.startApps("web", UID, progress::add))));
        assertFalse(portIsFree(port), "the start bound it again");
        assertEquals(port, f.view("web").port());
    }

    @Test
    void aRestartKeepsThePortOpen() throws IOException {
        int port = FreePorts.reserve();
        f.start(SupervisorFixture.spec("web").port(port).build());
        f.host.advance(1_000);
        ask(s -> s.restart("web", UID, progress::add));
        assertFalse(portIsFree(port));
        assertEquals(List.of("online"), f.states("web"));
    }

    @Test
    void startForgivesTheRestartsOfAStoppedApp() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        crashOnceAndComeBack("web");
        assertEquals(1, f.view("web").workers().getFirst().restarts());
        askNow(s -> s.stop("web", UID, progress::add));
        ask(s -> s.startApps("web", UID, progress::add));
        assertEquals(0, f.view("web").workers().getFirst().restarts());
    }

    /** web, with max_restarts 1, crashed until errored. */
    private void erroredWeb() {
        f.start(SupervisorFixture.spec("web").maxRestarts(1).build());
        f.host.advance(1_000);
        f.host.newest("web", 0).exits(1); // stable: restarted
        f.host.advance(100);
        f.host.newest("web", 0).exits(1); // unstable 1 of 1
        f.host.advance(100);
        f.host.newest("web", 0).exits(1); // unstable 2: errored
        assertEquals(List.of("errored"), f.states("web"));
    }

    @Test
    void startGivesAnErroredSlotItsMaxRestartsAgain() {
        erroredWeb();
        f.onLoop(() -> f.sup.registry().apps().get("web").start());
        assertEquals(List.of("starting"), f.states("web"));
        f.host.newest("web", 0).exits(1); // unstable 1 of 1 again: restarted, not errored
        assertEquals(List.of("waiting-restart"), f.states("web"));
        assertEquals(1, f.view("web").workers().getFirst().restarts());
    }

    /** Through the start that follows its stop (App.start's reset of a stopped or errored slot), as zdm start does. */
    @Test
    void restartGivesAnErroredSlotItsMaxRestartsAgain() {
        erroredWeb();
        f.onLoop(() -> f.sup.registry().apps().get("web").restart());
        assertEquals(List.of("starting"), f.states("web"));
        assertEquals(0, f.view("web").workers().getFirst().restarts(), "the errored slot's count starts again");
        f.host.newest("web", 0).exits(1); // unstable 1 of 1 again: restarted, not errored
        assertEquals(List.of("waiting-restart"), f.states("web"));
    }

    @Test
    void aReloadKeepsTheSlotsRestartCountAndLastExit() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        crashOnceAndComeBack("web");
        var outcome = f.reload("web");
        f.host.advance(2_000);
        assertTrue(outcome.get().ok());
        var worker = f.view("web").workers().getFirst();
        assertEquals(1, worker.restarts(), "zdm ls keeps counting across reloads");
        assertEquals("code 1", worker.lastExit());
    }

    @Test
    void reloadsAreCountedInTheMetricsByOutcome() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        f.reload("web");
        f.host.advance(2_000);
        f.host.spawnFailures.put("web", "cannot run 'node': not found on PATH");
        f.reload("web");
        var counters = f.sup.metrics().getFirst().counters();
        assertEquals(1, counters.reloadsOk());
        assertEquals(1, counters.reloadsFailed());
        assertEquals(2.0, counters.reloadSeconds(), 0.001);
    }

    @Test
    void lsShowsTheOldProcessOfAReloadedSlotUntilItIsGone() {
        f.start(SupervisorFixture.spec("web").killTimeoutMs(5_000).build());
        f.host.advance(1_000);
        var old = f.host.newest("web", 0);
        old.ignoresStopSignal = true;
        var outcome = f.reload("web");
        f.host.advance(2_000);
        var shown = f.view("web").workers();
        assertEquals(List.of(WorkerView.State.ONLINE, WorkerView.State.STOPPING), shown.stream().map(WorkerView::state).toList(),
                shown.toString());
        assertEquals(old.pid, shown.get(1).pid());
        f.host.advance(5_000);
        assertEquals(1, f.view("web").workers().size());
        assertTrue(outcome.get().ok());
    }

    @Test
    void anInternalErrorDuringAReloadEndsItAsFailedAndErrorsTheApp() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        f.host.brokenTerminate.add("web"); // the old worker's stop, once its replacement is stable, throws
        var outcome = f.reload("web");
        f.host.advance(2_000);
        assertFalse(outcome.get().ok(), "the reload reports, so the client waiting for it gets an answer");
        assertEquals("internal error: java.lang.IllegalStateException: terminate is broken for web", outcome.get().failure());
        var shown = f.view("web").workers();
        assertEquals(List.of(WorkerView.State.ERRORED), shown.stream().map(WorkerView::state).toList(),
                "the slot, and nothing the reload was doing: " + shown);
        assertEquals(1, f.sup.metrics().getFirst().counters().reloadsFailed());
    }

    @Test
    void aReloadDuringAScaleDownReplacesOnlyTheSlotsThatStay() {
        f.start(SupervisorFixture.spec("web").instances(2).killTimeoutMs(5_000).build());
        f.host.advance(1_000);
        f.host.newest("web", 1).ignoresStopSignal = true;
        f.onLoop(() -> f.sup.registry().apps().get("web").scale(1)); // slot 1 on its way out
        var outcome = f.reload("web");
        assertTrue(f.hasEvent("web", "reload-begin: 1 worker(s), 1 at a time, each stable for 1000 ms before its old worker is retired"),
                f.events("web").toString());
        f.host.advance(5_000);
        assertTrue(outcome.get().ok());
        assertEquals(1, outcome.get().total());
        assertEquals(List.of("online"), f.states("web"));
    }

    @Test
    void theStoreNamesASlotsReplacementWhileItStartsAndTheOldProcessWhileItLeaves() {
        f.start(SupervisorFixture.spec("web").killTimeoutMs(5_000).build());
        f.host.advance(1_000);
        var old = f.host.newest("web", 0);
        old.ignoresStopSignal = true;
        assertEquals(0, record("web", 0).otherPid());
        f.reload("web");
        var candidate = f.host.newest("web", 0);
        assertEquals(old.pid, record("web", 0).pid());
        assertEquals(candidate.pid, record("web", 0).otherPid(), "a daemon crash now leaves two processes to find");
        f.host.advance(2_000);
        assertEquals(candidate.pid, record("web", 0).pid());
        assertEquals(old.pid, record("web", 0).otherPid());
        f.host.advance(5_000);
        assertEquals(candidate.pid, record("web", 0).pid());
        assertEquals(0, record("web", 0).otherPid());
    }

    @Test
    void theStoreForgetsAFailedReplacementOnceItIsGone() {
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        var old = f.host.newest("web", 0);
        var outcome = f.reload("web");
        f.host.advance(300);
        f.host.newest("web", 0).exits(1);
        assertFalse(outcome.get().ok());
        assertEquals(old.pid, record("web", 0).pid());
        assertEquals(0, record("web", 0).otherPid());
    }

    @Test
    void anAppWithDisabledLogsWritesNoLineAndAChangedFileCanTurnThemOff() throws IOException {
        var off = new LogFiles(null, null, null, false, null, false, true);
        f.start(SupervisorFixture.spec("quiet").logFiles(off).build());
        f.host.newest("quiet", 0).prints(false, "a secret line");
        assertEquals(List.of(), f.logs.tail("quiet", 10));
        f.start(SupervisorFixture.spec("web").build());
        f.host.advance(1_000);
        f.host.newest("web", 0).prints(false, "kept");
        ask(s -> s.apply(List.of(SupervisorFixture.spec("web").logFiles(off).build()), UID, progress::add));
        f.host.newest("web", 0).prints(false, "not kept");
        var lines = f.logs.tail("web", 10).stream().map(e -> e.line()).toList();
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("kept")) && lines.stream().noneMatch(l -> l.endsWith("not kept")),
                lines.toString());
    }
}
