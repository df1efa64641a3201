package zdm.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Per-app log files (one for stdout, one for stderr) with a timestamp and the worker id on every line:
 * {@code 2026-11-24T23:59:59.123Z web[0] listening on 3000}. The daemon's own notes about an app read
 * {@code ... web[zdm] ...}. Files are created 0600 (parent directories as needed) and appended to.
 *
 * <p>Files rotate by size (see {@link LogFile}); {@link #tail} reads across the newest rotation ({@link MergedTail}).
 * The files a user named get copies ({@link LogCopies}); lines that cannot be written are counted
 * ({@link DroppedLines}); followers get each line ({@link LogFollowers}).
 *
 * <p>Thread-safe: open files live in a concurrent map, each {@link LogFile} serializes its own writes
 * and rotations, and followers are called on the writing thread after the write, outside any lock.
 * FileOutputStream rather than FileChannel because an interrupt during a FileChannel write closes the
 * channel for every thread.
 */
public final class AppLogs implements LogSink, AutoCloseable {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Function<String, Path> outFile;
    private final Function<String, Path> errFile;
    private final Map<Path, LogFile> open = new ConcurrentHashMap<>();
    private final Map<String, LogFile.Limits> limits = new ConcurrentHashMap<>();
    private final DroppedLines dropped = new DroppedLines();
    private final LogFollowers followers = new LogFollowers();
    private final LogCopies copies = new LogCopies();
    /** Apps with pm2's disable_logs: no file is written for them; followers still see their lines. */
    private final Set<String> unkept = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public record Entry(String line, boolean err) {}

    public AppLogs(Function<String, Path> outFile, Function<String, Path> errFile) {
        this.outFile = Objects.requireNonNull(outFile);
        this.errFile = Objects.requireNonNull(errFile);
    }

    /** The timestamp format that starts every log line (fixed width, so lines sort as strings). */
    public static String timestamp(Instant t) {
        return TIME.format(t);
    }

    @Override
    public void line(String app, int worker, boolean err, String text) {
        write(app, Integer.toString(worker), err, text);
        if (!closed && copies.has(app) && !unkept.contains(app)) {
            copies.write(app, worker, err, List.of(text == null ? "" : text.replace('\n', ' ')), outcomeFor(app));
        }
    }

    /**
     * The lines of one read, formatted into the batch's buffer and written with one system call: one
     * timestamp for all (they were read at the same moment), bytes copied as they are when they are
     * ASCII, decoded and re-encoded otherwise (malformed UTF-8 becomes U+FFFD, as for a single line).
     */
    @Override
    public void lines(String app, int worker, boolean err, LineBatch batch) {
        if (batch.count() == 0) return;
        boolean kept = !unkept.contains(app);
        if (kept && !closed && copies.has(app)) {
            var texts = new ArrayList<String>(batch.count());
            for (int i = 0; i < batch.count(); i++) texts.add(batch.text(i).replace('\n', ' '));
            copies.write(app, worker, err, texts, outcomeFor(app));
        }
        byte[] prefix = (TIME.format(Instant.now()) + " " + app + "[" + worker + "] ").getBytes(StandardCharsets.UTF_8);
        var f = batch.formatted();
        f.clear();
        byte[] data = batch.data();
        for (int i = 0; i < batch.count(); i++) {
            f.put(prefix, 0, prefix.length);
            int from = batch.start(i), to = batch.end(i);
            if (ascii(data, from, to)) {
                f.put(data, from, to - from);
            } else {
                byte[] clean = batch.text(i).replace('\n', ' ').getBytes(StandardCharsets.UTF_8);
                f.put(clean, 0, clean.length);
            }
            f.put((byte) '\n');
            f.endLine();
        }
        Path file = err ? errFile.apply(app) : outFile.apply(app);
        if (kept && !closed) {
            try {
                open.computeIfAbsent(file, LogFile::new).append(f.bytes, f.ends, f.count, limits.getOrDefault(app, LogFile.Limits.DEFAULT));
                writable(app, file);
            } catch (IOException e) {
                cannotWrite(app, file, e, f.count);
            }
        }
        if (followers.isEmpty()) return;
        for (int i = 0; i < f.count; i++) {
            int from = i == 0 ? 0 : f.ends[i - 1];
            followers.tell(app, new Entry(new String(f.bytes, from, f.ends[i] - 1 - from, StandardCharsets.UTF_8), err));
        }
    }

    private static boolean ascii(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] < 0) return false;
        return true;
    }

    /** A note of the daemon's own about an app (e.g. "worker 2 exited with code 1"), on the out file. */
    @Override
    public void note(String app, String text) {
        write(app, "zdm", false, text);
    }

    /** The last n lines of the app's out and err files, merged by timestamp (stable), oldest first. */
    public List<Entry> tail(String app, int n) throws IOException {
        return tail(app, n, true, true);
    }

    /** Like {@link #tail(String, int)} over the chosen files; reaches into the newest rotated file when needed. */
    public List<Entry> tail(String app, int n, boolean withOut, boolean withErr) throws IOException {
        if (n <= 0) return List.of();
        return MergedTail.lastLines(withOut ? outFile.apply(app) : null, withErr ? errFile.apply(app) : null, n);
    }

    /**
     * Calls {@code listener} with every line written for {@code app} (null = all apps) from now on, on
     * the thread that wrote it. Closing the returned handle unsubscribes. A listener that throws is
     * ignored for that line.
     */
    public AutoCloseable follow(String app, Consumer<Entry> listener) {
        return followers.add(app, listener);
    }

    /**
     * Sets when the app's files rotate: past {@code maxBytes} (0 = never), keeping {@code maxFiles}
     * rotated files. Until called, an app has the defaults (10 MiB, 5 files).
     */
    public void limits(String app, long maxBytes, int maxFiles) {
        limits.put(app, new LogFile.Limits(maxBytes, maxFiles));
    }

    /**
     * Also writes the app's lines to the files the user named (pm2's out_file, error_file, log_file; see
     * {@link LogCopies}); all paths absolute, null for none. {@code merge}: one file for all workers, else one each.
     * {@code dateFormat}: pm2's log_date_format, or null.
     */
    public void copies(String app, Path out, Path err, Path combined, boolean merge, String dateFormat) {
        copies(app, out, err, combined, merge, dateFormat, false);
    }

    /** As above; {@code json}: pm2's log_type: json, each line of these files a JSON object. */
    public void copies(String app, Path out, Path err, Path combined, boolean merge, String dateFormat, boolean json) {
        copies.set(app, out == null && err == null && combined == null ? null
                : new LogCopies.Settings(out, err, combined, merge, dateFormat, json));
    }

    /**
     * pm2's {@code disable_logs}: from now on no line of the app is written to any file, zdm's own included, and
     * {@link #tail} has nothing new to show; {@link #follow} still sees each line as it comes.
     */
    public void keep(String app, boolean kept) {
        if (kept) unkept.remove(app);
        else unkept.add(app);
    }

    /** False for an app with disable_logs. */
    public boolean kept(String app) {
        return !unkept.contains(app);
    }

    /** pm2's {@code log_file: true}: both streams in {@code <app>.log} beside zdm's own files. */
    public Path defaultCombined(String app) {
        return outFile.apply(app).resolveSibling(app + ".log");
    }

    /**
     * Empties the app's out and err files and deletes their rotated predecessors ({@code zdm flush}), and empties the
     * files the user named for it.
     */
    public void flush(String app) throws IOException {
        copies.truncate(app);
        int keep = limits.getOrDefault(app, LogFile.Limits.DEFAULT).maxFiles();
        for (Path p : List.of(outFile.apply(app), errFile.apply(app))) {
            open.computeIfAbsent(p, LogFile::new).flush(keep);
        }
    }

    /** Closes the open files; lines written afterwards are dropped. */
    @Override
    public void close() {
        closed = true;
        open.values().forEach(LogFile::close);
        copies.close();
    }

    private void write(String app, String who, boolean err, String text) {
        String safe = text == null ? "" : text.replace('\n', ' ');
        String line = TIME.format(Instant.now()) + " " + app + "[" + who + "] " + safe;
        if (!closed && !unkept.contains(app)) append(err ? errFile.apply(app) : outFile.apply(app), app, line);
        followers.tell(app, new Entry(line, err));
    }

    private void append(Path file, String app, String line) {
        try {
            open.computeIfAbsent(file, LogFile::new)
                    .append((line + "\n").getBytes(StandardCharsets.UTF_8), limits.getOrDefault(app, LogFile.Limits.DEFAULT));
            writable(app, file);
        } catch (IOException e) {
            cannotWrite(app, file, e, 1);
        }
    }

    private LogCopies.Outcome outcomeFor(String app) {
        return new LogCopies.Outcome() {
            @Override public void written(Path file) { writable(app, file); }
            @Override public void failed(Path file, IOException e, int lines) { cannotWrite(app, file, e, lines); }
        };
    }

    /**
     * Where to report that an app's lines are dropped (a full disk): once when it starts, once with the count
     * when the file can be written again. Called on the writing thread: hand the message on and return.
     */
    public void onTrouble(BiConsumer<String, String> trouble) {
        dropped.onTrouble(trouble);
    }

    /** The lines are dropped and counted; said once per file, not once per line (a full disk would fill the log). */
    private void cannotWrite(String app, Path file, IOException e, int lines) {
        if (closed) return;
        dropped.cannotWrite(app, file, e, lines);
    }

    private void writable(String app, Path file) {
        dropped.writable(app, file);
    }
}
