package zdm.supervisor;

import zdm.config.Liveness;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import zdm.config.Readiness;
import zdm.protocol.WorkerView;
import zdm.sys.UnixDatagram;
import zdm.test.Await;

/**
 * A worker's real NOTIFY_SOCKET, read by the daemon's one reader while the process lives ({@link NotifyWatch}): READY=1 from
 * the worker makes it ready (ready: notify), its other messages reach the loop, a datagram from a process outside the
 * worker's tree is ignored, and the socket is closed and unlinked once the process has exited. The fake worker takes
 * the test JVM's pid ({@link FakeHost#pidOfNext}), so that the datagrams this test sends come from "the worker"; the
 * host never signals it.
 */
class NotifySocketTest extends FixtureTest {
    private FakeHost.Proc worker;

    private void startNotifyApp() {
        f.host.pidOfNext = ProcessHandle.current().pid();
        f.start(SupervisorFixture.spec("svc").ready(new Readiness.Notify()).listenTimeoutMs(60_000).build());
        worker = f.host.newest("svc", 0);
        assertNotNull(worker.notifySocket);
    }

    private void send(String text) throws Exception {
        UnixDatagram.send(Path.of(worker.notifySocket), text.getBytes(StandardCharsets.UTF_8));
    }

    private void until(java.util.function.BooleanSupplier condition, String what) {
        Await.until(Duration.ofSeconds(30), () -> {
            f.host.settle();
            return condition.getAsBoolean();
        }, () -> what + "; events: " + f.events("svc"));
    }

    @Test
    void readyFromTheWorkerMakesItOnlineAndItsStatusIsShown() throws Exception {
        startNotifyApp();
        assertEquals(List.of("starting"), f.states("svc"));
        send("STATUS=loading\nREADY=1");
        until(() -> f.states("svc").equals(List.of("online")), "online at READY=1");
        until(() -> "loading".equals(f.view("svc").workers().getFirst().status()), "its STATUS= shown");
        send("STOPPING=1");
        until(() -> f.view("svc").workers().getFirst().state() == WorkerView.State.STOPPING, "STOPPING=1 shown");
    }

    @Test
    void aDatagramFromOutsideTheWorkersTreeIsIgnored() throws Exception {
        startNotifyApp();
        // another process, not of the worker's tree: started through a shell that exits at once (its parent is gone when
        // it sends, so it is no descendant of the test JVM, "the worker"), and it says READY=1 on the worker's socket
        var sent = home.resolve("sent");
        var other = new ProcessBuilder("sh", "-c", "(python3 -c \"$0\" \"$1\" \"$2\" &)", """
                import socket, sys, time
                time.sleep(0.5)
                s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                s.sendto(b"READY=1", sys.argv[1])
                open(sys.argv[2], "w").close()
                """, worker.notifySocket, sent.toString()).start();
        assertTrue(other.waitFor(30, TimeUnit.SECONDS));
        until(() -> Files.exists(sent), "the other process sent its datagram");
        send("STATUS=from the worker"); // sent after it: once seen, the other one was read before
        until(() -> "from the worker".equals(f.view("svc").workers().getFirst().status()), "the worker's own message");
        assertEquals(List.of("starting"), f.states("svc"), "a READY=1 from anyone else counts for nothing");
    }

    @Test
    void theSocketIsClosedAndRemovedOnceTheProcessHasExited() throws Exception {
        startNotifyApp();
        send("READY=1");
        until(() -> f.states("svc").equals(List.of("online")), "online");
        var socket = Path.of(worker.notifySocket);
        assertTrue(Files.exists(socket));
        worker.exits(0);
        until(() -> !Files.exists(socket), "the socket file is gone with its process");
        assertFalse(f.hasEvent("svc", "not-ready"), f.events("svc").toString());
    }

    @Test
    void aWatchdogWorkerThatIsNotReadyByNotifyIsReadToo() throws Exception {
        f.host.pidOfNext = ProcessHandle.current().pid();
        f.start(SupervisorFixture.spec("svc").liveness(Liveness.WATCHDOG).livenessIntervalMs(60_000).build());
        worker = f.host.newest("svc", 0);
        assertNotNull(worker.notifySocket, "liveness: watchdog gives it a NOTIFY_SOCKET");
        f.host.advance(1_000);
        assertEquals(List.of("online"), f.states("svc"), "ready after min_uptime");
        send("STATUS=serving");
        until(() -> "serving".equals(f.view("svc").workers().getFirst().status()), "its STATUS= read");
        f.onLoop(() -> f.sup.registry().apps().get("svc").stop(false)); // the fake process exits: its reader ends
    }
}
