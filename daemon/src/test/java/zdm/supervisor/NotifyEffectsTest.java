package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.protocol.WorkerView;

/**
 * What a worker's sd_notify messages do once its NOTIFY_SOCKET reader hands them to the loop
 * ({@link NotifyWatch#apply}): STATUS= is shown by ls, STOPPING=1 shows the worker as stopping and takes it out of
 * rotation (once), RELOADING=1 is recorded. A message read after its process was replaced changes nothing but its
 * STOPPING=1 event. Which sender counts: the worker and its descendants ({@link NotifyWatch#fromTree}).
 */
class NotifyEffectsTest extends FixtureTest {
    private FakeHost.Proc worker;

    private void startOnline() {
        f.start(SupervisorFixture.spec("svc").build());
        f.host.advance(1_000);
        worker = f.host.newest("svc", 0);
    }

    /** The current process of slot 0 sends {@code text}. */
    private void sends(String text) {
        f.onLoop(() -> {
            var app = f.sup.registry().apps().get("svc");
            var w = app.serving(0);
            NotifyWatch.apply(app, w, w.generation(), w.state().pid(), NotifyMessage.parse(text));
        });
    }

    private WorkerView shown() {
        return f.view("svc").workers().getFirst();
    }

    @Test
    void statusIsShownByLsForTheProcessThatSentIt() {
        startOnline();
        sends("STATUS=warming caches");
        assertEquals("warming caches", shown().status());
        sends("STATUS=serving 12 requests/s");
        assertEquals("serving 12 requests/s", shown().status(), "the last one");
        worker.exits(1);
        assertNull(shown().status(), "a worker without a process shows no status");
        f.host.advance(100);
        assertNull(shown().status(), "the next process starts without its predecessor's status");
    }

    @Test
    void stoppingShowsTheWorkerAsStoppingWithOneEvent() {
        startOnline();
        assertEquals(WorkerView.State.ONLINE, shown().state());
        sends("STOPPING=1");
        sends("STOPPING=1");
        assertEquals(WorkerView.State.STOPPING, shown().state(), "it still serves what it has, but counts as stopping");
        var stopping = f.events("svc").stream().filter(e -> e.startsWith("stopping:")).toList();
        assertEquals(List.of("stopping: pid " + worker.pid + " sent STOPPING=1; out of rotation"), stopping);
        assertEquals(List.of("online"), f.states("svc"), "its state is still online: only its own exit ends it");
    }

    @Test
    void stoppingWhileStartingIsRecordedWithoutARotationToLeave() {
        f.start(SupervisorFixture.spec("svc").build());
        worker = f.host.newest("svc", 0);
        sends("STOPPING=1");
        assertTrue(f.hasEvent("svc", "stopping: pid " + worker.pid + " sent STOPPING=1"), f.events("svc").toString());
        assertFalse(f.events("svc").toString().contains("out of rotation"), f.events("svc").toString());
        assertEquals(WorkerView.State.STARTING, shown().state());
    }

    @Test
    void reloadingIsRecordedOnly() {
        startOnline();
        sends("RELOADING=1");
        assertTrue(f.hasEvent("svc", "notify: pid " + worker.pid + " sent RELOADING=1 (recorded only)"), f.events("svc").toString());
        assertEquals(WorkerView.State.ONLINE, shown().state());
        assertTrue(worker.alive());
    }

    @Test
    void aMessageOfAProcessThatWasReplacedOnlyLeavesItsStoppingEvent() {
        startOnline();
        var late = f.on(() -> {
            var w = f.sup.registry().apps().get("svc").serving(0);
            return new int[] {w.generation()};
        });
        long oldPid = worker.pid;
        worker.exits(1);
        f.host.advance(100);
        f.host.advance(1_000); // its successor is online
        f.onLoop(() -> {
            var app = f.sup.registry().apps().get("svc");
            NotifyWatch.apply(app, app.serving(0), late[0], oldPid, NotifyMessage.parse("STATUS=old\nSTOPPING=1\nWATCHDOG=trigger"));
        });
        assertTrue(f.hasEvent("svc", "stopping: pid " + oldPid + " sent STOPPING=1"), f.events("svc").toString());
        assertEquals(WorkerView.State.ONLINE, shown().state(), "the successor is not taken for the sender");
        assertNull(shown().status());
        assertTrue(f.host.newest("svc", 0).alive(), "nor killed by the old process's trigger");
    }

    @Test
    void theWorkerAndItsDescendantsCountAndNobodyElse() {
        long self = ProcessHandle.current().pid();
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        assertTrue(NotifyWatch.fromTree(self, self), "the worker itself");
        assertTrue(NotifyWatch.fromTree(999_999_999L, 999_999_999L), "the worker itself, even once it is gone");
        assertTrue(NotifyWatch.fromTree(self, parent), "a child of the worker");
        assertFalse(NotifyWatch.fromTree(parent, self), "the worker's parent is not of its tree");
        assertFalse(NotifyWatch.fromTree(999_999_999L, self), "a process that does not exist");
    }
}
