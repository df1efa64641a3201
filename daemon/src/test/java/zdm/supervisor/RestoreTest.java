package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import zdm.config.Listen;
import zdm.config.Readiness;
import zdm.net.FreePorts;
import zdm.proc.ProcessIdentity;
import zdm.proc.Signal;
import zdm.protocol.AppView;
import zdm.store.WorkerRecord;
import zdm.test.Await;

/**
 * A fresh daemon brings itself in line with the store ({@link Restore}): each app stored as running starts again,
 * one stored as stopped is registered and stays stopped, the records of the previous daemon's workers are replaced,
 * and a process the previous daemon left running (recorded by pid and start time) is stopped with its app's stop
 * signal and kill_timeout before the fresh workers start, so nothing runs twice. The store is a real SQLite file in
 * the fixture's home; the leftovers are real processes this test starts; the fresh workers are the fake host's.
 */
class RestoreTest extends FixtureTest {
    private final Leftovers started = new Leftovers();

    @AfterEach
    void endLeftovers() {
        started.close();
    }

    /** A real process that a previous daemon "left running": a shell that runs {@code script} (its $0 is {@code arg}). */
    private Process leftover(String script, String arg) throws Exception {
        return started.shell(script, arg);
    }

    private static ProcessIdentity identity(Process p) {
        return Leftovers.identity(p);
    }

    /** The record a previous daemon kept of slot {@code id}'s one process. */
    private void recorded(String app, int id, ProcessIdentity process) {
        f.store.putWorker(new WorkerRecord(app, id, process.pid(), process.startTimeMs(), "online", 0, null, null));
    }

    @Test
    void anAppStoredAsRunningStartsAgainAndOneStoredAsStoppedStaysStopped() {
        f.store.putApp(SupervisorFixture.spec("web").instances(2).build(), true);
        f.store.putApp(SupervisorFixture.spec("batch").build(), false);
        assertEquals(0, Restore.run(f.sup), "no leftovers");
        f.host.advance(1_000);
        assertEquals(List.of("online", "online"), f.states("web"));
        assertTrue(f.hasEvent("web", "restored: starting 2 worker(s)"), f.events("web").toString());
        var batch = f.view("batch");
        assertEquals(AppView.Desired.STOPPED, batch.desired());
        assertEquals(AppView.Status.STOPPED, batch.status());
        assertTrue(f.host.alive("batch").isEmpty());
        assertFalse(f.hasEvent("batch", "restored"), f.events("batch").toString());
    }

    @Test
    void thePreviousDaemonsWorkerRecordsAreReplacedByTheFreshOnes() {
        f.store.putApp(SupervisorFixture.spec("web").build(), true);
        f.store.putWorker(new WorkerRecord("web", 3, 0, 0, "errored", 7, 1, null)); // a slot it had before a scale down
        Restore.run(f.sup);
        f.host.advance(1_000);
        var slots = Await.value(Duration.ofSeconds(10), () -> f.store.workers(), w -> w.size() == 1 && w.getFirst().state().equals("online"),
                "the fresh worker's record");
        assertEquals(0, slots.getFirst().id());
        assertEquals(f.host.newest("web", 0).pid, slots.getFirst().pid());
    }

    @Test
    void aLeftoverIsStoppedWithItsAppsStopSignalBeforeTheFreshWorkerStarts(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path caught = tmp.resolve("caught");
        f.store.putApp(SupervisorFixture.spec("web").stopSignal(Signal.SIGINT).build(), true);
        // SIGTERM is ignored: only the app's own stop signal ends it cleanly
        var old = leftover("trap 'echo INT > \"$0\"; exit 0' INT; trap '' TERM; : > \"$0.trapped\"; while :; do sleep 0.05; done",
                caught.toString());
        // a signal that came before the shell set its traps would end it by the default action, not the trap
        zdm.test.Await.until(java.time.Duration.ofSeconds(30), () -> Files.exists(tmp.resolve("caught.trapped")), "the traps set");
        var id = identity(old);
        recorded("web", 0, id);

        assertEquals(1, Restore.run(f.sup));
        assertTrue(old.waitFor(10, TimeUnit.SECONDS), "stopped by the time the restore returns");
        assertEquals("INT", Files.readString(caught).strip(), "the app's stop_signal");
        var events = f.events("web");
        int stopped = events.indexOf("leftover-stopped: pid " + id.pid() + " from a previous daemon");
        int fresh = events.indexOf("started: pid " + f.host.newest("web", 0).pid);
        assertTrue(stopped >= 0 && fresh > stopped, "stopped before the fresh worker started: " + events);
        f.host.advance(1_000);
        assertEquals(List.of("online"), f.states("web"));
    }

    @Test
    void aLeftoverThatIgnoresItsStopSignalIsKilledAfterItsAppsKillTimeout() throws Exception {
        f.store.putApp(SupervisorFixture.spec("web").killTimeoutMs(300).build(), true);
        var old = leftover("trap '' INT TERM; while :; do sleep 0.05; done", "x");
        recorded("web", 0, identity(old));
        assertEquals(1, Restore.run(f.sup));
        assertTrue(old.waitFor(10, TimeUnit.SECONDS), "SIGKILLed once its kill_timeout passed");
    }

    @Test
    void theSecondProcessOfASlotMidReloadIsALeftoverToo() throws Exception {
        f.store.putApp(SupervisorFixture.spec("web").build(), true);
        var draining = leftover("exec sleep 1000", "x");
        var id = identity(draining);
        // the slot's serving process is gone; the old one it was replacing still drains
        f.store.putWorker(new WorkerRecord("web", 0, 0, 0, "online", 0, null, null, id.pid(), id.startTimeMs()));
        assertEquals(1, Restore.run(f.sup));
        assertTrue(draining.waitFor(10, TimeUnit.SECONDS));
        assertTrue(f.hasEvent("web", "leftover-stopped: pid " + id.pid() + " from a previous daemon"), f.events("web").toString());
    }

    @Test
    void aRecordedPidNowRunByAnotherProcessIsLeftAlone() throws Exception {
        f.store.putApp(SupervisorFixture.spec("web").build(), true);
        var unrelated = leftover("exec sleep 1000", "x");
        var id = identity(unrelated);
        // the pid was reused since: the record's start time is not this process's
        recorded("web", 0, new ProcessIdentity(id.pid(), id.startTimeMs() - 60_000));
        assertEquals(0, Restore.run(f.sup));
        assertTrue(unrelated.isAlive(), "another program's process is never stopped");
        assertFalse(f.hasEvent("web", "leftover-stopped"), f.events("web").toString());
    }

    @Test
    void theLeftoversOfASocketModeAppKeepServingUntilTheFreshWorkersAreOnline() throws Exception {
        int port = FreePorts.reserve();
        f.store.putApp(SupervisorFixture.spec("web").port(port).listen(Listen.SOCKET).ready(new Readiness.Uptime()).build(), true);
        // a worker of the previous daemon: the app's listening socket as its fd 3, as zdm hands it over
        var old = started.holdingSocket(port);
        recorded("web", 0, identity(old));

        assertEquals(1, Restore.run(f.sup));
        assertTrue(old.isAlive(), "not stopped before its replacement is online");
        assertTrue(f.hasEvent("web", "restored: starting 1 worker(s) on the listening socket taken over from the previous daemon's workers"),
                f.events("web").toString());
        try (var client = new java.net.Socket("127.0.0.1", port)) {
            assertTrue(client.isConnected(), "the port keeps accepting");
        }
        f.host.advance(1_000); // the fresh worker is online
        assertTrue(old.waitFor(30, TimeUnit.SECONDS), "retired once its replacement is online");
        Await.until(Duration.ofSeconds(10), () -> f.hasEvent("web", "leftover-stopped"), () -> f.events("web").toString());
        try (var client = new java.net.Socket("127.0.0.1", port)) {
            assertTrue(client.isConnected(), "the daemon holds the socket the old worker gave up");
        }
    }

    @Test
    void aLeftoversStoppingMessageReachesTheFreshDaemonsEvents() throws Exception {
        f.store.putApp(SupervisorFixture.spec("web").build(), true);
        // the previous daemon's receiving socket, left behind in the notify directory when it died
        var notify = java.nio.file.Files.createDirectories(home.resolve("notify"));
        var stale = notify.resolve("1-1.sock");
        try (var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(java.net.UnixDomainSocketAddress.of(stale));
        }
        // a worker of it that says STOPPING=1 on that socket when it is asked to stop (as puma does)
        var old = started.start(new ProcessBuilder("python3", "-c", """
                import signal, socket, sys, time
                def term(*_):
                    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                    s.sendto(b"STOPPING=1", sys.argv[1])
                    time.sleep(0.3)
                    sys.exit(0)
                signal.signal(signal.SIGTERM, term)
                print("up", flush=True)
                while True:
                    time.sleep(0.05)
                """, stale.toString()));
        assertEquals("up", old.inputReader().readLine());
        var id = identity(old);
        recorded("web", 0, id);
        assertEquals(1, Restore.run(f.sup));
        assertTrue(old.waitFor(10, TimeUnit.SECONDS));
        Await.until(Duration.ofSeconds(20), () -> f.hasEvent("web", "stopping: pid " + id.pid() + " (left running by a previous daemon) sent STOPPING=1"),
                () -> f.events("web").toString());
    }

    @Test
    void anAppWhosePortIsTakenIsNotStartedAndTheEventSaysWhy() throws Exception {
        try (var squatter = new ServerSocket(FreePorts.reserve())) {
            int port = squatter.getLocalPort();
            f.store.putApp(SupervisorFixture.spec("web").port(port).build(), true);
            f.store.putApp(SupervisorFixture.spec("worker").build(), true);
            Restore.run(f.sup);
            assertTrue(f.hasEvent("web", "restore-failed: port " + port + " is already in use by another process; choose another port: for app web"), f.events("web").toString());
            assertFalse(f.hasEvent("web", "restored"), f.events("web").toString());
            assertTrue(f.host.alive("web").isEmpty(), "no worker without its port");
            assertEquals(1, f.host.alive("worker").size(), "the other app comes back");
        }
    }
}
