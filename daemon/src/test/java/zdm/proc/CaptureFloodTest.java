package zdm.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.test.Await;

/**
 * A worker that writes faster than the daemon reads: the capture serves the other files in between,
 * frees what it consumed as it goes, saves its offset while behind, and skips (saying so) what it can
 * no longer catch up with, so neither the disk nor the other apps pay for the flood.
 */
class CaptureFloodTest {
    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** Counts the flooding app's lines (each batch calls {@code onBatch} first) and keeps everything else. */
    static final class FloodSink implements LogSink {
        final AtomicLong floodLines = new AtomicLong();
        final List<String> others = Collections.synchronizedList(new ArrayList<>());
        final List<String> floodTexts = Collections.synchronizedList(new ArrayList<>());
        final List<String> notes = Collections.synchronizedList(new ArrayList<>());
        final AtomicReference<Long> floodLinesWhenOtherArrived = new AtomicReference<>();
        volatile Consumer<Long> onBatch = n -> {};
        volatile boolean keepFloodTexts;

        @Override
        public void line(String app, int worker, boolean err, String text) {
            if (app.equals("flood")) {
                floodLines.incrementAndGet();
                if (keepFloodTexts) floodTexts.add(text);
            } else {
                floodLinesWhenOtherArrived.compareAndSet(null, floodLines.get());
                others.add(text);
            }
        }

        @Override
        public void lines(String app, int worker, boolean err, LineBatch batch) {
            if (app.equals("flood")) onBatch.accept(floodLines.get());
            LogSink.super.lines(app, worker, err, batch);
        }

        @Override
        public void note(String app, String text) {
            notes.add(app + ": " + text);
        }
    }

    @Test
    void anotherAppsLineIsReadBetweenTheTurnsOfAFloodingFile() throws Exception {
        var sink = new FloodSink();
        sink.onBatch = n -> pause(2); // a slow sink: the flood takes a while to read
        try (var capture = new OutputCapture(dir)) {
            var flood = capture.create("flood", 0);
            var other = capture.create("other", 0);
            long lines = writeLines(flood.out(), 24 << 20);
            Files.writeString(other.out(), "hello from the neighbour\n");
            capture.attach(flood, "flood", 0, sink);
            capture.attach(other, "other", 0, sink);
            Await.until(LONG, () -> !sink.others.isEmpty(), "the neighbour's line");
            long before = sink.floodLinesWhenOtherArrived.get();
            assertTrue(before < lines / 2, "the neighbour waited for " + before + " of the flood's " + lines + " lines");
            Await.until(LONG, () -> sink.floodLines.get() == lines, "every line of the flood");
        }
    }

    @Test
    void consumedOutputIsFreedWhileTheReaderIsStillBehind() throws Exception {
        assumePunching();
        var sink = new FloodSink();
        try (var capture = new OutputCapture(dir)) {
            var flood = capture.create("flood", 0);
            long lines = writeLines(flood.out(), 16 << 20);
            var allocatedMidway = new AtomicReference<Long>();
            sink.onBatch = n -> {
                if (n > lines * 3 / 4 && allocatedMidway.get() == null) allocatedMidway.set(allocatedBytes(flood.out()));
            };
            capture.attach(flood, "flood", 0, sink);
            Await.until(LONG, () -> sink.floodLines.get() == lines, "every line of the flood");
            assertTrue(allocatedMidway.get() < 8L << 20,
                    "three quarters read, 16 MiB written: " + allocatedMidway.get() + " bytes still allocated");
        }
    }

    @Test
    void theReadOffsetIsSavedWhileTheReaderIsBehind() throws Exception {
        var sink = new FloodSink();
        try (var capture = new OutputCapture(dir)) {
            var flood = capture.create("flood", 0);
            long lines = writeLines(flood.out(), 8 << 20);
            long[] firstBatchAt = {0};
            var savedAfterASecond = new AtomicReference<Long>();
            sink.onBatch = n -> {
                if (firstBatchAt[0] == 0) firstBatchAt[0] = System.nanoTime();
                if (savedAfterASecond.get() == null && System.nanoTime() - firstBatchAt[0] > 1_000_000_000L) {
                    savedAfterASecond.set(CaptureTail.readOffset(flood.out()));
                }
                pause(50); // 32 reads of 256 KiB: more than a second and a half behind the writer
            };
            capture.attach(flood, "flood", 0, sink);
            Await.until(LONG, () -> sink.floodLines.get() == lines, "every line of the flood");
            assertTrue(savedAfterASecond.get() != null && savedAfterASecond.get() > 0,
                    "a second into reading, the saved offset is " + savedAfterASecond.get());
        }
    }

    @Test
    void aReaderTooFarBehindSkipsToTheNewestOutputAndSaysSo() throws Exception {
        assumePunching();
        var sink = new FloodSink();
        sink.keepFloodTexts = true;
        try (var capture = new OutputCapture(dir, new CaptureTail.Limits(4L << 20, 1L << 20))) {
            var flood = capture.create("flood", 0);
            long lines = writeLines(flood.out(), 12 << 20);
            capture.attach(flood, "flood", 0, sink);
            Await.until(LONG, () -> sink.floodTexts.contains(line(lines)), "the last line");
            var texts = List.copyOf(sink.floodTexts);
            assertTrue(texts.size() < lines / 2, texts.size() + " of " + lines + " lines read: the oldest were skipped");
            long first = number(texts.getFirst());
            for (int i = 0; i < texts.size(); i++) assertEquals(line(first + i), texts.get(i), "whole lines, contiguous after the skip");
            assertEquals(1, sink.notes.size(), sink.notes.toString());
            assertTrue(sink.notes.getFirst().startsWith("flood: worker 0 wrote faster than zdm can save its output: skipped "),
                    sink.notes.getFirst());
            assertTrue(allocatedBytes(flood.out()) < 2L << 20, "the skipped output was freed too");
        }
    }

    @Test
    void aDrainAtAWorkersExitReadsOnlyItsNewestOutput() throws Exception {
        // A stop waits for this drain: it must not wait for a flood's whole backlog.
        var sink = new FloodSink();
        sink.keepFloodTexts = true;
        Files.createDirectories(dir.resolve("offsets"));
        var file = Files.createFile(dir.resolve("flood@0@1.out"));
        long lines = writeLines(file, 12 << 20);
        new CaptureTail(file, "flood", 0, false, sink, 0, CaptureTail.Limits.DEFAULT).drain(new CaptureTail.Scratch(1 << 16));
        var texts = List.copyOf(sink.floodTexts);
        assertEquals(line(lines), texts.getLast(), "the worker's last line");
        assertTrue(texts.size() * (long) (line(1).length() + 1) <= 6L << 20,
                texts.size() + " of " + lines + " lines read");
        assertEquals(1, sink.notes.size(), "the skip is said: " + sink.notes);
    }

    /** The environment, asked of util-linux's fallocate(1), not of the code under test. */
    private void assumePunching() throws Exception {
        var probe = Files.write(dir.resolve("probe"), new byte[1 << 16]);
        var fallocate = new ProcessBuilder("fallocate", "--punch-hole", "--offset", "0", "--length", "65536", probe.toString())
                .redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(fallocate.waitFor() == 0, "the file system of " + dir + " cannot punch holes");
        Files.delete(probe);
    }

    private static String line(long i) {
        return "line " + i + " of a worker that writes as fast as it can, padded to look like a real log line";
    }

    private static long number(String text) {
        return Long.parseLong(text.split(" ")[1]);
    }

    /** Appends numbered lines (1..n) until about {@code bytes} are written; returns n. */
    private static long writeLines(Path file, long bytes) throws IOException {
        long n = 0;
        long written = 0;
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND), 1 << 16)) {
            while (written < bytes) {
                byte[] b = (line(++n) + "\n").getBytes(StandardCharsets.US_ASCII);
                out.write(b);
                written += b.length;
            }
        }
        return n;
    }

    static long allocatedBytes(Path f) {
        try {
            var p = new ProcessBuilder("stat", "-c", "%b %B", f.toString()).start();
            var parts = new String(p.getInputStream().readAllBytes()).trim().split(" ");
            p.waitFor();
            return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
