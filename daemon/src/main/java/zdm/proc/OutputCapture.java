package zdm.proc;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import zdm.sys.FileHoles;

/**
 * Worker output through files instead of pipes, so that a worker never blocks on, and never dies
 * with, the daemon. Each worker's stdout and stderr are capture files opened by the worker in append
 * mode: a write goes to the page cache whether or not a daemon is reading. The daemon tails them
 * ({@link CaptureTail}: lines to a {@link LogSink}, consumed output punched out, offsets saved beside
 * each file, so a daemon that restarts after a crash picks up exactly the lines written while it was
 * gone). When the worker has exited and its files are drained, they go.
 *
 * <p>Two threads: a watcher (inotify through the JDK's WatchService: no polling) that only marks files
 * as written, and one reader that serves the marked files in turn, at most {@link #QUANTUM} bytes each
 * before moving on, so an app that floods its output delays another app's lines by one turn, not by
 * its whole backlog.
 *
 * <p>Thread-safe. Lines are delivered from the reader thread, in file order per stream.
 */
public final class OutputCapture implements AutoCloseable {
    static final int MAX_LINE = 64 * 1024;
    /** What one turn of the reader reads of one file at most: a few milliseconds of work. */
    static final long QUANTUM = 1L << 20;
    private static final int READ_BUFFER = 256 * 1024;
    private static final AtomicLong SEQ = new AtomicLong(System.currentTimeMillis());

    private final Path dir;
    private final CaptureTail.Limits limits;
    private final WatchService watcher;
    private final Map<Path, CaptureTail> tails = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<CaptureTail> ready = new LinkedBlockingQueue<>();
    private final Thread watchThread;
    private final Thread readThread;
    /** Queued by close(): the reader ends after its current turn (an interrupt could cut a read short). */
    private final CaptureTail stop;
    private volatile boolean closed;

    /** A worker's pair of capture files. */
    public record Streams(Path out, Path err) {}

    // Offsets live in a subdirectory ("offsets/"), so that saving one does not wake the watcher.

    public OutputCapture(Path dir) throws IOException {
        this(dir, CaptureTail.Limits.DEFAULT);
    }

    OutputCapture(Path dir, CaptureTail.Limits limits) throws IOException {
        this.dir = dir;
        this.limits = limits;
        var rwx = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(dir, rwx);
        Files.createDirectories(dir.resolve("offsets"), rwx);
        warmUpHolePunching(dir.resolve("offsets"));
        this.stop = new CaptureTail(dir, "", 0, false, null, 0, limits);
        this.watcher = FileSystems.getDefault().newWatchService();
        dir.register(watcher, StandardWatchEventKinds.ENTRY_MODIFY);
        this.watchThread = Thread.ofVirtual().name("zdm-capture-watch").start(this::watch);
        this.readThread = Thread.ofPlatform().daemon().name("zdm-capture").start(this::readTurns);
    }

    /** New, empty capture files for a worker of {@code app}; the name carries app and worker id. */
    public Streams create(String app, int worker) throws IOException {
        String base = app + "@" + worker + "@" + SEQ.incrementAndGet();
        var mode = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
        var files = new Streams(Files.createFile(dir.resolve(base + ".out"), mode), Files.createFile(dir.resolve(base + ".err"), mode));
        // Room for the worker's first writes even on a full disk (the reader moves it on as it consumes).
        FileHoles.reserve(files.out(), 0, CaptureTail.RESERVE);
        FileHoles.reserve(files.err(), 0, CaptureTail.RESERVE);
        return files;
    }

    /** Starts delivering the files' lines to {@code sink} (whatever was written before this call too). */
    public void attach(Streams files, String app, int worker, LogSink sink) throws IOException {
        for (var f : new Path[] {files.out(), files.err()}) {
            var tail = new CaptureTail(f, app, worker, f == files.err(), sink, CaptureTail.readOffset(f), limits);
            tails.put(f.getFileName(), tail);
            schedule(tail);
        }
    }

    /**
     * Delivers every complete line written so far, on the caller's thread. Called when the worker has been reaped and
     * before its exit is reported, so whoever handles the exit (a failed reload quoting the worker's last lines) sees
     * everything the worker wrote, not only what the watcher had read by then.
     */
    public void drain(Streams files) {
        if (closed) return; // the files' offsets stay where they are, for the next daemon
        synchronized (exitScratch) {
            for (var f : new Path[] {files.out(), files.err()}) {
                var tail = tails.get(f.getFileName());
                if (tail != null) tail.drain(exitScratch);
            }
        }
    }

    /**
     * The buffers for {@link #drain} and {@link #finish}, kept: each worker's exit used to allocate ~100 KiB
     * of them twice, 40 MiB of garbage for a reload of 200 workers.
     */
    private final CaptureTail.Scratch exitScratch = new CaptureTail.Scratch(64 * 1024);

    /** The worker has exited: deliver the rest (an unterminated last line too) and delete the files. */
    public void finish(Streams files) {
        if (closed) return; // files stay for the next daemon's recoverLeftovers
        synchronized (exitScratch) {
            for (var f : new Path[] {files.out(), files.err()}) {
                var tail = tails.remove(f.getFileName());
                if (tail != null) tail.finish(exitScratch);
            }
        }
    }

    /**
     * Capture files left by a previous daemon (its workers have been stopped by now): their unread
     * lines go to {@code sink} (named by app and worker from the file name), then the files go.
     * A file further behind than the allowed backlog gives only its newest output (the rest is skipped
     * and said so), so a worker that wrote for long while no daemon ran delays no restart.
     */
    public int recoverLeftovers(LogSink sink) throws IOException {
        int recovered = 0;
        var scratch = new CaptureTail.Scratch(READ_BUFFER);
        try (var files = Files.list(dir)) {
            for (var f : files.toList()) {
                String name = f.getFileName().toString();
                if (!Files.isRegularFile(f) || !(name.endsWith(".out") || name.endsWith(".err"))
                        || tails.containsKey(f.getFileName())) continue;
                String[] parts = name.substring(0, name.length() - 4).split("@");
                if (parts.length != 3) continue;
                int worker;
                try {
                    worker = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    continue;
                }
                new CaptureTail(f, parts[0], worker, name.endsWith(".err"), sink, CaptureTail.readOffset(f), limits).finish(scratch);
                recovered++;
            }
        }
        return recovered;
    }

    /**
     * The first punch links the native call (a few hundred milliseconds in a fresh JVM): done now, not while
     * the first worker that floods its output runs ahead of the reader.
     */
    private static void warmUpHolePunching(Path offsets) {
        try {
            var probe = Files.createTempFile(offsets, "punch", ".tmp");
            try {
                Files.write(probe, new byte[8192]);
                FileHoles.punchPrefix(probe, 8192);
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException ignored) {
            // only a warm-up
        }
    }

    /** Marks a file as written and queues it for the reader, once. */
    private void schedule(CaptureTail tail) {
        tail.dirty = true;
        if (tail.queued.compareAndSet(false, true)) ready.add(tail);
    }

    private void watch() {
        while (true) {
            WatchKey key;
            try {
                key = watcher.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            for (var event : key.pollEvents()) {
                if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                    tails.values().forEach(this::schedule); // events were lost: read everything
                } else if (event.context() instanceof Path p) {
                    var tail = tails.get(p);
                    if (tail != null) schedule(tail);
                }
            }
            key.reset();
        }
    }

    /** The reader: one turn per queued file; a file with more to read goes to the back of the queue. */
    private void readTurns() {
        var scratch = new CaptureTail.Scratch(READ_BUFFER);
        while (true) {
            CaptureTail tail;
            try {
                tail = ready.take();
            } catch (InterruptedException e) {
                return;
            }
            if (tail == stop) return;
            tail.dirty = false;
            if (tail.read(scratch, QUANTUM)) {
                ready.add(tail);
                continue;
            }
            tail.queued.set(false);
            // written after the read reached the end, while it was still queued: the watcher left it to us
            if (tail.dirty && tail.queued.compareAndSet(false, true)) ready.add(tail);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            watcher.close();
        } catch (IOException ignored) {
            // closing a watcher loses nothing: the files stay for the next daemon
        }
        watchThread.interrupt();
        ready.add(stop);
        try {
            readThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
