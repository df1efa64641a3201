package zdm.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.sys.FileHoles;
import zdm.test.Await;

/** Worker output through capture files: nothing blocks on, or is lost with, the reader. */
class OutputCaptureTest {
    @TempDir
    Path dir;

    record Line(String app, int worker, boolean err, String text) {}

    static final class Sink implements LogSink {
        final List<Line> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void line(String app, int worker, boolean err, String text) {
            lines.add(new Line(app, worker, err, text));
        }

        List<String> texts(boolean err) {
            synchronized (lines) {
                return lines.stream().filter(l -> l.err == err).map(Line::text).toList();
            }
        }
    }

    private static SpawnSpec spec(String script) {
        return new SpawnSpec("web", 3, List.of("sh", "-c", script), Path.of("/tmp"), Map.of());
    }

    @Test
    void linesOfBothStreamsArriveAndTheFilesGoAfterTheExit() throws Exception {
        var sink = new Sink();
        try (var capture = new OutputCapture(dir)) {
            var p = WorkerProcess.spawn(spec("echo one; echo two >&2; echo three; printf 'no newline'"), sink, capture);
            assertEquals(0, p.onExit().get().code());
            Await.until(Duration.ofSeconds(10), () -> sink.texts(false).size() == 3, "stdout lines");
            assertEquals(List.of("one", "three", "no newline"), sink.texts(false));
            assertEquals(List.of("two"), sink.texts(true));
            assertTrue(sink.lines.stream().allMatch(l -> l.app.equals("web") && l.worker == 3));
            Await.until(Duration.ofSeconds(10), () -> captureFiles().isEmpty(), "capture files removed");
        }
    }

    @Test
    void aWorkersLastLinesAreDeliveredBeforeItsExitIsReported() throws Exception {
        // A failed reload quotes the replacement's last lines when its exit arrives: they must be there by then.
        for (int i = 0; i < 20; i++) {
            var sink = new Sink();
            try (var capture = new OutputCapture(dir.resolve("run" + i))) {
                var p = WorkerProcess.spawn(spec("echo 'broken build: cannot start' >&2; exit 1"), sink, capture);
                var lines = p.onExit().thenApply(status -> sink.texts(true)).get();
                assertEquals(List.of("broken build: cannot start"), lines, "run " + i);
            }
        }
    }

    @Test
    void aWorkerKeepsWritingWithNoReaderAndTheNextReaderLosesNothing() throws Exception {
        var first = new Sink();
        var capture = new OutputCapture(dir);
        var p = WorkerProcess.spawn(spec("i=0; while :; do i=$((i+1)); echo line $i; sleep 0.02; done"), first, capture);
        try {
            Await.until(Duration.ofSeconds(10), () -> first.texts(false).size() >= 5, "the first reader gets lines");
            capture.close(); // the daemon is gone
            var file = captureFiles().stream().filter(f -> f.toString().endsWith(".out")).findFirst().orElseThrow();
            long size = Files.size(file);
            Await.until(Duration.ofSeconds(10), () -> sizeOf(file) > size + 200, "the worker keeps writing, unblocked");
            assertTrue(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false), "and stays alive");

            var second = new Sink();
            Posix.kill(p.pid(), Signal.SIGKILL); // the next daemon stops leftovers, then recovers their output
            p.onExit().get();
            try (var next = new OutputCapture(dir)) {
                assertEquals(2, next.recoverLeftovers(second), "the worker's .out and .err");
            }
            // No line lost, none repeated: the two readers together saw exactly line 1..n, in order.
            var all = new ArrayList<>(first.texts(false));
            all.addAll(second.texts(false));
            for (int i = 0; i < all.size(); i++) assertEquals("line " + (i + 1), all.get(i), "contiguous: " + all);
            assertTrue(second.texts(false).size() > 5, "lines written while nobody read were recovered");
            assertTrue(captureFiles().isEmpty(), "recovered files are removed");
        } finally {
            if (ProcessHandle.of(p.pid()).isPresent()) Posix.kill(p.pid(), Signal.SIGKILL);
        }
    }

    @Test
    void consumedOutputIsPunchedOutOfTheFile() throws Exception {
        var f = dir.resolve("big");
        Files.write(f, new byte[4 << 20]);
        long before = allocatedBytes(f);
        // The environment, asked of util-linux's fallocate(1) on another file, not of the code under test.
        var probe = Files.write(dir.resolve("probe"), new byte[1 << 20]);
        var fallocate = new ProcessBuilder("fallocate", "--punch-hole", "--offset", "0", "--length", "65536", probe.toString())
                .redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(fallocate.waitFor() == 0,
                "the file system of " + dir + " cannot punch holes (fallocate(1): "
                        + new String(fallocate.getInputStream().readAllBytes()).trim() + ")");
        assertTrue(FileHoles.punchPrefix(f, 3 << 20), "fallocate(1) punches holes here, so must FileHoles");
        assertEquals(4 << 20, Files.size(f), "size (and so every offset) unchanged");
        assertTrue(allocatedBytes(f) <= before - (3 << 20), "3 MiB freed: " + before + " -> " + allocatedBytes(f));
    }

    private static long allocatedBytes(Path f) throws Exception {
        var p = new ProcessBuilder("stat", "-c", "%b %B", f.toString()).start();
        var parts = new String(p.getInputStream().readAllBytes()).trim().split(" ");
        p.waitFor();
        return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (Exception e) {
            return -1;
        }
    }

    private List<Path> captureFiles() {
        try (var s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).toList();
        } catch (Exception e) {
            return List.of();
        }
    }
}
