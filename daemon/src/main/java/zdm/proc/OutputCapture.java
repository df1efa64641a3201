package zdm.proc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Worker output through files instead of pipes, so that a worker never blocks on, and never dies
 * with, the daemon. Each worker's stdout and stderr are capture files opened by the worker in append
 * mode: a write goes to the page cache whether or not a daemon is reading. The daemon tails them
 * (inotify through the JDK's WatchService: no polling), hands every line to a {@link LogSink}, and
 * keeps the disk use bounded by punching holes in what it has consumed ({@link FileHoles}). The read
 * offset is saved beside each file, so a daemon that restarts after a crash picks up exactly the
 * lines written while it was gone. When the worker has exited and its files are drained, they go.
 *
 * <p>Thread-safe. Lines are delivered from the capture thread, in file order per stream.
 */
public final class OutputCapture implements AutoCloseable {
    static final int MAX_LINE = 64 * 1024;
    private static final long PUNCH_EVERY = 1 << 20;
    private static final AtomicLong SEQ = new AtomicLong(System.currentTimeMillis());

    private final Path dir;
    private final WatchService watcher;
    private final Map<Path, Tail> tails = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    /** A worker's pair of capture files. */
    public record Streams(Path out, Path err) {}

    // Offsets live in a subdirectory ("offsets/"), so that saving one does not wake the watcher.

    public OutputCapture(Path dir) throws IOException {
        this.dir = dir;
        var rwx = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(dir, rwx);
        Files.createDirectories(dir.resolve("offsets"), rwx);
        this.watcher = FileSystems.getDefault().newWatchService();
        dir.register(watcher, StandardWatchEventKinds.ENTRY_MODIFY);
        this.thread = Thread.ofPlatform().daemon().name("zdm-capture").start(this::watch);
    }

    /** New, empty capture files for a worker of {@code app}; the name carries app and worker id. */
    public Streams create(String app, int worker) throws IOException {
        String base = app + "@" + worker + "@" + SEQ.incrementAndGet();
        var mode = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
        return new Streams(Files.createFile(dir.resolve(base + ".out"), mode), Files.createFile(dir.resolve(base + ".err"), mode));
    }

    /** Starts delivering the files' lines to {@code sink}. */
    public void attach(Streams files, String app, int worker, LogSink sink) throws IOException {
        for (var f : new Path[] {files.out(), files.err()}) {
            var tail = new Tail(f, app, worker, f == files.err(), sink, readOffset(f));
            tails.put(f.getFileName(), tail);
            tail.drain(); // whatever was written before we watched
        }
    }

    /**
     * Delivers every complete line written so far, on the caller's thread. Called when the worker has been reaped and
     * before its exit is reported, so whoever handles the exit (a failed reload quoting the worker's last lines) sees
     * everything the worker wrote, not only what the watcher had read by then.
     */
    public void drain(Streams files) {
        if (closed) return; // the files' offsets stay where they are, for the next daemon
        for (var f : new Path[] {files.out(), files.err()}) {
            var tail = tails.get(f.getFileName());
            if (tail != null) tail.drain();
        }
    }

    /** The worker has exited: deliver the rest (an unterminated last line too) and delete the files. */
    public void finish(Streams files) {
        if (closed) return; // files stay for the next daemon's recoverLeftovers
        for (var f : new Path[] {files.out(), files.err()}) {
            var tail = tails.remove(f.getFileName());
            if (tail != null) tail.finish();
        }
    }

    /**
     * Capture files left by a previous daemon (its workers have been stopped by now): their unread
     * lines go to {@code sink} (named by app and worker from the file name), then the files go.
     */
    public int recoverLeftovers(LogSink sink) throws IOException {
        int recovered = 0;
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
                new Tail(f, parts[0], worker, name.endsWith(".err"), sink, readOffset(f)).finish();
                recovered++;
            }
        }
        return recovered;
    }

    private void watch() {
        while (true) {
            java.nio.file.WatchKey key;
            try {
                key = watcher.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            boolean overflow = false;
            for (var event : key.pollEvents()) {
                if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                    overflow = true;
                } else if (event.context() instanceof Path p) {
                    var tail = tails.get(p);
                    if (tail != null) tail.drain();
                }
            }
            if (overflow) tails.values().forEach(Tail::drain); // events were lost: read everything
            key.reset();
        }
    }

    private static long readOffset(Path f) {
        try {
            return Long.parseLong(Files.readString(offsetFile(f)).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static Path offsetFile(Path f) {
        return f.resolveSibling("offsets").resolve(f.getFileName() + ".off");
    }

    @Override
    public void close() {
        closed = true;
        try {
            watcher.close();
        } catch (IOException ignored) {
            // closing a watcher loses nothing: the files stay for the next daemon
        }
        thread.interrupt();
    }

    /** One capture file being read. Its methods are synchronized: the watcher and finish() may race. */
    private static final class Tail {
        private final Path file;
        private final String app;
        private final int worker;
        private final boolean err;
        private final LogSink sink;
        private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();
        private long offset;
        private long punchedTo;

        Tail(Path file, String app, int worker, boolean err, LogSink sink, long offset) {
            this.file = file;
            this.app = app;
            this.worker = worker;
            this.err = err;
            this.sink = sink;
            this.offset = offset;
            this.punchedTo = offset;
        }

        synchronized void drain() {
            long before = offset;
            try (var ch = PrivateHome.channel(file, StandardOpenOption.READ)) {
                while (true) {
                    buf.clear();
                    int n = ch.read(buf, offset);
                    if (n <= 0) break;
                    offset += n;
                    split(buf.array(), n);
                }
            } catch (IOException e) {
                return; // deleted or unreadable: nothing more to deliver
            }
            if (offset != before) saveOffset();
            if (offset - punchedTo >= PUNCH_EVERY && FileHoles.punchPrefix(file, offset)) punchedTo = offset;
        }

        synchronized void finish() {
            drain();
            if (partial.size() > 0) emit();
            try {
                Files.deleteIfExists(file);
                Files.deleteIfExists(offsetFile(file));
            } catch (IOException ignored) {
                // a leftover file is recovered (and removed) by the next daemon
            }
        }

        private void split(byte[] bytes, int n) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (bytes[i] == '\n') {
                    partial.write(bytes, start, i - start);
                    emit();
                    start = i + 1;
                } else if (bytes[i] == 0 && partial.size() == 0 && i == start) {
                    start = i + 1; // a punched hole re-read after a crash: zeros, not output
                }
            }
            partial.write(bytes, start, n - start);
            if (partial.size() >= MAX_LINE) emit();
        }

        private void emit() {
            var text = partial.toString(StandardCharsets.UTF_8);
            partial.reset();
            if (text.endsWith("\r")) text = text.substring(0, text.length() - 1);
            sink.line(app, worker, err, text);
        }

        private void saveOffset() {
            try {
                PrivateHome.writeString(offsetFile(file), Long.toString(offset));
            } catch (IOException ignored) {
                // at worst a restarted daemon repeats a few lines; it never loses any
            }
        }
    }
}
