package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import zdm.proc.Posix;
import zdm.proc.Signal;
import zdm.protocol.AppView;
import zdm.protocol.WorkerView;
import zdm.test.Await;

/**
 * The disk under ZDM_HOME fills up while apps run (a real 4 MiB tmpfs mounted as the home, so the
 * daemon's own zdm.db, logs and socket live on it). It stops nothing: a worker that writes keeps
 * running (its lines are dropped and counted), a crashed worker is still restarted (the loop does not
 * stop on failed bookkeeping writes), and stop, delete, flush and kill work. Needs root (mount);
 * skipped otherwise.
 */
@org.junit.jupiter.api.Tag("root")
class FullDiskIntegrationTest {
    ZdmHome z;
    boolean mounted;

    @BeforeEach
    void setUp() throws Exception {
        z = new ZdmHome();
        assumeTrue(Posix.getuid() == 0, "mounting a tmpfs needs root");
        Files.createDirectories(z.home);
        mounted = run("mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", z.home.toString()) == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here (a container without CAP_SYS_ADMIN?)");
    }

    @AfterEach
    void tearDown() throws Exception {
        z.close();
        if (mounted) run("umount", "-l", z.home.toString());
    }

    @Test
    void aFullDiskStopsNothingTheWorkersKeepRunningAndTheControlsWork() throws Exception {
        z.ecosystem("""
                apps:
                  - name: s
                    command: sleep 1000
                    instances: 2
                    min_uptime: 200ms
                    restart_delay: 100ms
                    env: { ZDM_TEST_TAG: ${TAG} }
                  - name: talk
                    command: [sh, -c, "while echo a line of a worker that keeps talking while the disk is full; do sleep 0.01; done"]
                    env: { ZDM_TEST_TAG: ${TAG} }
                """);
        z.ok("start", "ecosystem.yaml");
        List<Long> before = z.pids("s");
        assertEquals(2, before.size());
        long talker = z.pids("talk").getFirst();

        Path filler = z.home.resolve("filler");
        fill(filler);

        // The talker's writes go on (into its capture file's reserve, which the daemon keeps freeing): its
        // echo would fail on ENOSPC and end it. Its lines are dropped, not its process.
        long written = capturedBytes();
        Await.until(ZdmHome.SHORT, () -> capturedBytes() > written + 30_000, "the talker writes 30 kB more on the full disk");
        assertEquals(List.of(talker), z.pids("talk"), "the talker never stopped");
        assertEquals(0, z.app("talk").workers().getFirst().restarts());

        // A worker crashes while the disk is full: supervision goes on and restarts it.
        Posix.kill(before.getFirst(), Signal.SIGKILL);
        Await.until(ZdmHome.SHORT, () -> {
            var w = z.app("s").workers().getFirst();
            return w.state() == WorkerView.State.ONLINE && w.pid() != before.getFirst();
        }, "worker 0 restarted with the disk full");
        assertEquals(before.get(1), z.pids("s").get(1));

        // The controls work on the full disk: a stop or a delete is never refused for want of space.
        var stop = z.zdm("stop", "s");
        assertEquals(0, stop.exitCode(), stop.toString());
        assertEquals(List.of(), z.pids("s"));
        var delete = z.zdm("delete", "s");
        assertEquals(0, delete.exitCode(), delete.toString());

        // flush frees the talker's logs: lines are written again, and the count of those dropped is an event.
        z.ok("flush", "talk");
        Await.until(ZdmHome.SHORT, () -> z.zdm("events", "talk").out().contains("line(s) were dropped meanwhile"),
                "an event counts the dropped lines");

        fill(filler.resolveSibling("filler2"));
        var kill = z.zdm("kill");
        assertEquals(0, kill.exitCode(), kill.toString());
        Await.until(ZdmHome.SHORT, () -> z.taggedProcesses().isEmpty(), "kill stopped every worker on the full disk");
        Files.delete(filler);
    }

    /**
     * Above, the capture files' reserve moves while the talker talks, so the store may find a free page now and then.
     * Here nothing writes but the daemon: with its write-ahead log emptied first, every write of the store from then
     * on must grow that file, which the full disk refuses (SQLITE_FULL). The stop acts all the same and says that it
     * could not be saved; so does a delete while another process holds the store locked. ls agrees with what happened.
     */
    @Test
    void stopAndDeleteActWhenTheStoreCannotBeWritten() throws Exception {
        z.ecosystem("""
                apps:
                  - name: s
                    command: sleep 1000
                    instances: 2
                    env: { ZDM_TEST_TAG: ${TAG} }
                """);
        z.ok("start", "ecosystem.yaml");
        var workers = z.pids("s");
        emptyTheWriteAheadLog();
        fill(z.home.resolve("filler"));

        var stop = z.zdm("stop", "s");
        assertEquals(0, stop.exitCode(), stop.toString());
        assertTrue(stop.out().contains("s is stopped now, but a daemon restart would start it again"),
                "the store could not save the stop, and the stop happened all the same: " + stop);
        assertEquals(List.of(), z.pids("s"));
        assertEquals(AppView.Status.STOPPED, z.app("s").status());
        assertTrue(workers.stream().noneMatch(ZdmHome::alive), "the workers are gone");

        // The delete, on a store another process holds locked for writing (SQLITE_BUSY after the busy timeout): the
        // stopped workers' capture files give space back as they are finished, so the full disk is not reliable here.
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + z.paths().database());
             var st = c.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            var delete = z.zdm("delete", "s");
            assertEquals(0, delete.exitCode(), delete.toString());
            assertTrue(delete.out().contains("s is deleted now, but a daemon restart would bring it back"), delete.toString());
            assertTrue(z.apps().isEmpty(), "ls no longer shows s");
            st.execute("ROLLBACK");
        }

        Files.delete(z.home.resolve("filler")); // the store works again: the next start is saved
        z.ok("start", "ecosystem.yaml");
        assertEquals(2, z.pids("s").size());
    }

    /** Checkpoints zdm.db and truncates its -wal file to nothing, through a connection of our own (SQLite allows it). */
    private void emptyTheWriteAheadLog() throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + z.paths().database());
             var st = c.createStatement();
             var rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            assertTrue(rs.next() && rs.getInt(1) == 0, "the checkpoint was not blocked");
        }
        assertEquals(0, Files.size(Path.of(z.paths().database() + "-wal")), "the write-ahead log is empty");
    }

    /** Bytes the workers wrote to their capture files (apparent sizes: consumed output is punched, not cut). */
    private long capturedBytes() {
        try (var files = Files.list(z.paths().logs().resolve("capture"))) {
            return files.filter(f -> f.toString().endsWith(".out")).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Writes until the file system says it is full. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) out.write(block);
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) throw e;
        }
    }

    private static int run(String... cmd) throws Exception {
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
