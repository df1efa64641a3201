package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.config.Listen;
import zdm.config.Readiness;
import zdm.net.FreePorts;
import zdm.proc.Signal;
import zdm.store.WorkerRecord;

/**
 * {@link Restore} beyond its main paths: a leftover is stopped by its own app's rules when several apps are stored, a
 * worker the previous daemon never recorded (a stray of this home) is stopped too, and a socket-mode app's leftovers
 * are not retired before the fresh workers are online. The leftovers are real processes.
 */
class RestoreEdgesTest extends FixtureTest {
    private final Leftovers started = new Leftovers();

    @AfterEach
    void endProcesses() {
        started.close();
    }

    private Process run(ProcessBuilder pb) throws Exception {
        return started.start(pb);
    }

    private void recordedAsSlot0(String app, Process p) {
        var id = Leftovers.identity(p);
        f.store.putWorker(new WorkerRecord(app, 0, id.pid(), id.startTimeMs(), "online", 0, null, null));
    }

    @Test
    void eachLeftoverIsStoppedWithItsOwnAppsStopSignal(@TempDir Path tmp) throws Exception {
        f.store.putApp(SupervisorFixture.spec("first").build(), true); // SIGTERM
        f.store.putApp(SupervisorFixture.spec("second").stopSignal(Signal.SIGINT).build(), true);
        Path caught = tmp.resolve("caught");
        var old = run(new ProcessBuilder("sh", "-c", "trap 'echo INT > \"$0\"; exit 0' INT; trap 'echo TERM > \"$0\"; exit 0' TERM;"
                + " while :; do sleep 0.05; done", caught.toString()));
        recordedAsSlot0("second", old);
        assertEquals(1, Restore.run(f.sup));
        assertTrue(old.waitFor(10, TimeUnit.SECONDS));
        assertEquals("INT", Files.readString(caught).strip(), "second's stop_signal, not first's");
    }

    @Test
    void aWorkerThePreviousDaemonNeverRecordedIsStopped() throws Exception {
        // The spawn mark a worker of this home's earlier daemon (pid 1 stands for it) carries; the store names no such worker.
        var digest = MessageDigest.getInstance("SHA-256").digest(home.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
        var pb = new ProcessBuilder("sleep", "60");
        pb.environment().put("ZDM_SPAWN_ID", HexFormat.of().formatHex(digest, 0, 6) + ":1-1");
        var stray = run(pb);
        Leftovers.identity(stray);
        assertEquals(0, Restore.run(f.sup), "a stray is not a recorded leftover");
        assertTrue(stray.waitFor(10, TimeUnit.SECONDS), "stopped by the restore");
    }

    @Test
    void aSocketModeLeftoverIsNotRetiredWhileTheFreshWorkerIsStillStarting() throws Exception {
        int port = FreePorts.reserve();
        f.store.putApp(SupervisorFixture.spec("web").port(port).listen(Listen.SOCKET).ready(new Readiness.Uptime()).build(), true);
        var old = started.holdingSocket(port);
        recordedAsSlot0("web", old);
        assertEquals(1, Restore.run(f.sup));
        assertEquals(List.of("starting"), f.states("web"));
        // Nothing can be awaited for what must not happen: the handover thread gets a second to retire it too early.
        assertFalse(old.waitFor(1, TimeUnit.SECONDS), "retired before its replacement was online");
        assertFalse(f.hasEvent("web", "leftover-stopped"), f.events("web").toString());
        f.host.advance(1_000);
        assertTrue(old.waitFor(30, TimeUnit.SECONDS), "retired once its replacement is online");
    }
}
