package zdm.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files a user names for an app's output, written beside zdm's own (AppLogs), as pm2 writes them. */
class LogCopiesTest {
    @TempDir
    Path tmp;

    @Test
    void aWorkersFileIsNamedAsPm2NamesIt() {
        assertEquals(Path.of("/l/out-3.log"), LogCopies.perWorker(Path.of("/l/out.log"), 3));
        assertEquals(Path.of("/l/out-3.log"), LogCopies.perWorker(Path.of("/l/out-1.log"), 3));
        assertEquals(Path.of("/l/out.txt"), LogCopies.perWorker(Path.of("/l/out.txt"), 3), "no .log: shared");
    }

    @Test
    void linesGoToTheNamedFilesBesideZdmsOwnAndFlushEmptiesThem() throws IOException {
        try (var logs = new AppLogs(a -> tmp.resolve("zdm/" + a + ".out.log"), a -> tmp.resolve("zdm/" + a + ".err.log"))) {
            Path out = tmp.resolve("mine/new/out.log");
            Path all = tmp.resolve("mine/all.log");
            logs.copies("web", out, Path.of("/dev/null"), all, false, null);
            logs.line("web", 1, false, "hello");
            logs.line("web", 1, true, "oops");
            logs.note("web", "worker 1 exited");
            assertEquals("hello\n", Files.readString(tmp.resolve("mine/new/out-1.log")), "directories created, as pm2");
            assertEquals("hello\noops\n", Files.readString(tmp.resolve("mine/all-1.log")));
            assertTrue(Files.readString(tmp.resolve("zdm/web.out.log")).contains("web[1] hello"), "zdm's own log as before");
            assertEquals(3, logs.tail("web", 10).size());
            logs.flush("web");
            assertEquals(0, Files.size(tmp.resolve("mine/new/out-1.log")));
            assertEquals(0, Files.size(tmp.resolve("mine/all-1.log")));
        }
    }

    @Test
    void aFifoIsRefusedWithoutBlockingAndTheTroubleIsSaidOnce() throws Exception {
        Path fifo = tmp.resolve("pipe.log");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        var said = new ArrayList<String>();
        try (var logs = new AppLogs(a -> tmp.resolve(a + ".out.log"), a -> tmp.resolve(a + ".err.log"))) {
            logs.onTrouble((app, message) -> said.add(message));
            logs.copies("web", fifo, null, null, true, "[at] HH");
            logs.line("web", 0, false, "one");
            logs.line("web", 0, false, "two");
        }
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.getFirst().contains("is not a regular file or a device"), said.toString());
    }

    @Test
    void aRenamedFileIsFollowedByANewOneAtThePath() throws Exception {
        Path out = tmp.resolve("out.log");
        try (var logs = new AppLogs(a -> tmp.resolve(a + ".out.log"), a -> tmp.resolve(a + ".err.log"))) {
            logs.copies("web", out, null, null, true, null);
            logs.line("web", 0, false, "before");
            Files.move(out, tmp.resolve("out.log.1")); // logrotate's default
            long deadline = System.nanoTime() + 30_000_000_000L;
            int n = 0;
            while (!Files.exists(out) && System.nanoTime() < deadline) {
                logs.line("web", 0, false, "after " + n++);
                Thread.sleep(50);
            }
            assertTrue(Files.exists(out), "a new file at the path");
            assertFalse(Files.readString(out).contains("before"));
            assertTrue(Files.readString(tmp.resolve("out.log.1")).startsWith("before\n"));
        }
    }

    @Test
    void logTypeJsonWritesEachLineAsPm2sObject() throws IOException {
        try (var logs = new AppLogs(a -> tmp.resolve(a + ".out.log"), a -> tmp.resolve(a + ".err.log"))) {
            logs.copies("web", tmp.resolve("out.log"), tmp.resolve("err.log"), null, false, "YYYY", true);
            logs.line("web", 2, false, "say \"hi\"\t\u00e9");
            logs.line("web", 2, true, "oops");
            String year = Integer.toString(java.time.Year.now().getValue());
            assertEquals("{\"message\":\"say \\\"hi\\\"\\t\u00e9\\n\",\"timestamp\":\"" + year
                    + "\",\"type\":\"out\",\"process_id\":2,\"app_name\":\"web\"}\n", Files.readString(tmp.resolve("out-2.log")));
            assertTrue(Files.readString(tmp.resolve("err-2.log")).contains("\"message\":\"oops\\n\",\"timestamp\":\"" + year
                    + "\",\"type\":\"err\""));
            assertTrue(Files.readString(tmp.resolve("web.out.log")).endsWith("web[2] say \"hi\"\t\u00e9\n"), "zdm's own log stays text");
        }
    }

    @Test
    void disableLogsWritesNoFileButFollowersStillSeeTheLines() throws Exception {
        try (var logs = new AppLogs(a -> tmp.resolve(a + ".out.log"), a -> tmp.resolve(a + ".err.log"))) {
            var seen = new ArrayList<String>();
            logs.follow("web", e -> seen.add(e.line()));
            logs.copies("web", tmp.resolve("out.log"), null, null, true, null);
            logs.keep("web", false);
            logs.line("web", 0, false, "secret");
            logs.note("web", "worker 0 exited");
            assertFalse(Files.exists(tmp.resolve("web.out.log")) || Files.exists(tmp.resolve("out.log")), "no file at all");
            assertEquals(List.of(), logs.tail("web", 10));
            assertEquals(2, seen.size(), seen.toString());
            assertTrue(seen.getFirst().endsWith("web[0] secret"), seen.toString());
            logs.keep("web", true);
            logs.line("web", 0, false, "kept");
            assertTrue(Files.readString(tmp.resolve("web.out.log")).endsWith("web[0] kept\n"));
        }
    }
}
