package zdm.proc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import zdm.sys.FileHoles;

/**
 * One capture file being read (see {@link OutputCapture}): splits it into lines for a {@link LogSink},
 * returns what it consumed to the file system as it goes (a hole punched every {@link Limits#punchEvery}
 * bytes, not only at the end of the file, which a fast writer never lets the reader reach), saves its read
 * offset at least every {@link #SAVE_EVERY_NANOS} while it reads, and skips ahead when it is more than
 * {@link Limits#maxBacklog} behind, so the file stays bounded even when the worker writes faster than the
 * daemon can save: the skipped output is lost, said so in the log, and never costs the disk or the other apps.
 *
 * <p>Its reading methods are synchronized: the capture thread and a worker's exit (drain, finish) may race.
 */
final class CaptureTail {
    static final long SAVE_EVERY_NANOS = 250_000_000L;
    /** How much a drain at a worker's exit reads at most: a fraction of a second even on a busy machine. */
    static final long DRAIN_BACKLOG = 4L << 20;
    /**
     * Blocks kept allocated beyond the end of the file for the worker's next writes, so that a full disk
     * costs it no write (and no crash on ENOSPC): what is consumed is punched out and the reserve moved on.
     */
    static final long RESERVE = 256 * 1024;

    /** How far the reader may fall behind, and how often consumed output is punched out. */
    record Limits(long maxBacklog, long punchEvery) {
        static final Limits DEFAULT = new Limits(32L << 20, 1L << 20);
    }

    /** A reader's buffers: the capture thread keeps one; a drain on another thread brings its own. */
    static final class Scratch {
        final ByteBuffer buf;
        final LineBatch batch = new LineBatch();

        Scratch(int size) {
            buf = ByteBuffer.allocate(size);
        }
    }

    final Path file;
    private final String app;
    private final int worker;
    private final boolean err;
    private final LogSink sink;
    private final Limits limits;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private long offset;
    private long punchedTo;
    private long savedOffset;
    private long savedAt = System.nanoTime();
    private boolean resync; // after a skip: the bytes up to the next newline are the rest of a lost line
    private boolean finished;
    private long reservedTo; // the end of the blocks allocated beyond the file's end for the worker's writes
    private long skippedUnsaid; // skipped bytes not yet noted in the log
    private long noteAt;        // System.nanoTime() of the last note about skipped output, 0 before the first

    /** Capture-thread bookkeeping: whether it is in the read queue, and whether it was written meanwhile. */
    final AtomicBoolean queued = new AtomicBoolean();
    volatile boolean dirty;

    CaptureTail(Path file, String app, int worker, boolean err, LogSink sink, long offset, Limits limits) {
        this.file = file;
        this.app = app;
        this.worker = worker;
        this.err = err;
        this.sink = sink;
        this.limits = limits;
        this.offset = offset;
        this.punchedTo = offset;
        this.savedOffset = offset;
    }

    /**
     * Reads up to {@code budget} bytes (whole buffers, so a little more) and delivers their lines.
     * Returns whether there is more to read now (the end of the file was not reached).
     */
    synchronized boolean read(Scratch s, long budget) {
        return read(s, budget, limits.maxBacklog());
    }

    private boolean read(Scratch s, long budget, long maxBacklog) {
        if (finished) return false;
        boolean more = true;
        try (var ch = PrivateHome.channel(file, StandardOpenOption.READ)) {
            while (budget > 0) {
                // checked before every buffer, not every turn: a writer at GB/s outruns a turn by hundreds of MiB
                long behind = ch.size() - offset;
                if (behind > maxBacklog) skip(behind - limits.punchEvery());
                s.buf.clear();
                int n = ch.read(s.buf, offset);
                if (n <= 0) {
                    more = false;
                    break;
                }
                offset += n;
                budget -= n;
                split(s.buf.array(), n, s.batch);
                if (s.batch.count() > 0) sink.lines(app, worker, err, s.batch);
                s.batch.clear();
                if (offset - punchedTo >= limits.punchEvery() && FileHoles.punchPrefix(file, offset)) punchedTo = offset & ~4095L;
            }
            keepReserve(ch.size());
        } catch (IOException e) {
            return false; // deleted or unreadable: nothing more to deliver
        }
        if (offset != savedOffset && (!more || System.nanoTime() - savedAt >= SAVE_EVERY_NANOS)) saveOffset();
        return more;
    }

    /**
     * Moves the reserve on once the worker has written into half of it. What was consumed is punched out
     * first (not only every {@link Limits#punchEvery}), so on a full disk the blocks freed are the ones
     * reserved again.
     */
    private void keepReserve(long size) {
        if (size + RESERVE / 2 <= reservedTo) return;
        if (offset - punchedTo >= 4096 && FileHoles.punchPrefix(file, offset)) punchedTo = offset & ~4095L;
        if (FileHoles.reserve(file, size, RESERVE)) reservedTo = size + RESERVE;
    }

    /**
     * Delivers what was written before the call, on the caller's thread: the exit of a worker waits for it
     * (so whoever handles the exit sees the worker's last lines), and a stop must not wait for a flood's
     * whole backlog. So a drain reads at most {@link #DRAIN_BACKLOG} (the newest output; an older backlog
     * is skipped, and said so), and ends even while the worker's children keep writing.
     */
    synchronized void drain(Scratch s) {
        long backlog = Math.min(limits.maxBacklog(), DRAIN_BACKLOG);
        read(s, backlog + limits.punchEvery(), backlog);
    }

    /** Delivers the rest, the unterminated last line too; deletes the file and its offset. */
    synchronized void finish(Scratch s) {
        read(s, limits.maxBacklog() + limits.punchEvery()); // the whole allowed backlog: nothing waits for this
        if (partial.size() > 0 && !resync) {
            s.batch.add(partial.toByteArray(), 0, partial.size());
            sink.lines(app, worker, err, s.batch);
            s.batch.clear();
        }
        partial.reset();
        sayWhatWasSkipped();
        finished = true;
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(offsetFile(file));
        } catch (IOException ignored) {
            // a leftover file is recovered (and removed) by the next daemon
        }
    }

    /**
     * Skips {@code bytes} unread bytes (and the rest of the line they cut), frees them, and says so in the log:
     * at once the first time, then at most once a second with the sum (a flood skips at every read).
     */
    private void skip(long bytes) {
        offset += bytes;
        partial.reset();
        resync = true;
        if (FileHoles.punchPrefix(file, offset)) punchedTo = offset & ~4095L;
        skippedUnsaid += bytes;
        if (noteAt == 0 || System.nanoTime() - noteAt >= 1_000_000_000L) sayWhatWasSkipped();
    }

    private void sayWhatWasSkipped() {
        if (skippedUnsaid == 0) return;
        sink.note(app, "worker " + worker + " wrote faster than zdm can save its output: skipped "
                + zdm.view.Human.bytes(skippedUnsaid) + " of its " + (err ? "stderr" : "stdout")
                + (noteAt == 0 ? " (those lines are lost; the ones after them follow)" : " since the last note"));
        skippedUnsaid = 0;
        noteAt = System.nanoTime();
    }

    private void split(byte[] bytes, int n, LineBatch batch) {
        int start = 0;
        if (resync) {
            int nl = indexOf(bytes, 0, n);
            if (nl < 0) return;
            resync = false;
            start = nl + 1;
        }
        for (int i = start; i < n; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                if (partial.size() == 0) {
                    batch.add(bytes, start, i - start);
                } else {
                    partial.write(bytes, start, i - start);
                    batch.add(partial.toByteArray(), 0, partial.size());
                    partial.reset();
                }
                start = i + 1;
            } else if (b == 0 && partial.size() == 0 && i == start) {
                start = i + 1; // a punched hole re-read after a crash: zeros, not output
            }
        }
        partial.write(bytes, start, n - start);
        if (partial.size() >= OutputCapture.MAX_LINE) {
            batch.add(partial.toByteArray(), 0, partial.size());
            partial.reset();
        }
    }

    private static int indexOf(byte[] bytes, int from, int n) {
        for (int i = from; i < n; i++) if (bytes[i] == '\n') return i;
        return -1;
    }

    /**
     * Overwrites the offset in place with a fixed width (no truncation, so a daemon killed at any moment
     * leaves either the old or the new value, never an empty file that would make its successor re-read
     * everything).
     */
    private void saveOffset() {
        try (var ch = PrivateHome.channel(offsetFile(file), StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            ch.write(ByteBuffer.wrap("%020d".formatted(offset).getBytes(StandardCharsets.US_ASCII)), 0);
            savedOffset = offset;
            savedAt = System.nanoTime();
        } catch (IOException ignored) {
            // at worst a restarted daemon repeats the lines of the last second; it never loses any
        }
    }

    static long readOffset(Path f) {
        try {
            return Long.parseLong(Files.readString(offsetFile(f), StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    static Path offsetFile(Path f) {
        return f.resolveSibling("offsets").resolve(f.getFileName() + ".off");
    }
}
