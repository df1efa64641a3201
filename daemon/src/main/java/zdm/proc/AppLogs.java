package zdm.proc;

import java.io.IOException;
import java.io.FileOutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Per-app log files (one for stdout, one for stderr) with a timestamp and the worker id on every line:
 * {@code 2026-11-24T23:59:59.123Z web[0] listening on 3000}. The daemon's own notes about an app read
 * {@code ... web[zdm] ...}. Files are created 0600 (parent directories as needed) and appended to.
 *
 * <p>Thread-safe without locks of its own: open files live in a concurrent map, each line is one
 * write(2) on an O_APPEND descriptor (atomic with respect to other writers), and followers are called
 * on the writing thread after the write, outside any lock. FileOutputStream rather than FileChannel
 * because an interrupt during a FileChannel write closes the channel for every thread.
 */
public final class AppLogs implements LogSink, AutoCloseable {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final int TIME_LENGTH = "2026-11-24T23:59:59.123Z".length();

    private final Function<String, Path> outFile;
    private final Function<String, Path> errFile;
    private final Map<Path, FileOutputStream> open = new ConcurrentHashMap<>();
    private final Set<Path> failing = ConcurrentHashMap.newKeySet();
    private final List<Follower> followers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public record Entry(String line, boolean err) {}

    private record Follower(String app, Consumer<Entry> listener) {}

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
    }

    /** A note of the daemon's own about an app (e.g. "worker 2 exited with code 1"), on the out file. */
    public void note(String app, String text) {
        write(app, "zdm", false, text);
    }

    /** The last n lines of the app's out and err files, merged by timestamp (stable), oldest first. */
    public List<Entry> tail(String app, int n) throws IOException {
        if (n <= 0) return List.of();
        List<String> out = LogTail.lastLines(outFile.apply(app), n);
        List<String> err = LogTail.lastLines(errFile.apply(app), n);
        List<String> outKeys = keys(out);
        List<String> errKeys = keys(err);
        var merged = new ArrayList<Entry>(out.size() + err.size());
        int i = 0, j = 0;
        while (i < out.size() || j < err.size()) {
            // ties go to stdout; each file keeps its own order even if its clock went backwards
            boolean takeErr = i == out.size() || (j < err.size() && errKeys.get(j).compareTo(outKeys.get(i)) < 0);
            merged.add(takeErr ? new Entry(err.get(j++), true) : new Entry(out.get(i++), false));
        }
        return List.copyOf(merged.subList(Math.max(0, merged.size() - n), merged.size()));
    }

    /**
     * Calls {@code listener} with every line written for {@code app} (null = all apps) from now on, on
     * the thread that wrote it. Closing the returned handle unsubscribes. A listener that throws is
     * ignored for that line.
     */
    public AutoCloseable follow(String app, Consumer<Entry> listener) {
        var f = new Follower(app, Objects.requireNonNull(listener));
        followers.add(f);
        return () -> followers.remove(f);
    }

    /** Closes the open files; lines written afterwards are dropped. */
    @Override
    public void close() {
        closed = true;
        for (Path p : List.copyOf(open.keySet())) {
            FileOutputStream ch = open.remove(p);
            if (ch != null) closeQuietly(ch);
        }
    }

    private void write(String app, String who, boolean err, String text) {
        String safe = text == null ? "" : text.replace('\n', ' ');
        String line = TIME.format(Instant.now()) + " " + app + "[" + who + "] " + safe;
        if (!closed) append(err ? errFile.apply(app) : outFile.apply(app), line);
        var entry = new Entry(line, err);
        for (Follower f : followers) {
            if (f.app() != null && !f.app().equals(app)) continue;
            try {
                f.listener().accept(entry);
            } catch (RuntimeException e) {
                // one broken follower must not break logging for the others
            }
        }
    }

    private void append(Path file, String line) {
        try {
            channel(file).write((line + "\n").getBytes(StandardCharsets.UTF_8));
            failing.remove(file);
        } catch (IOException e) {
            if (closed) return;
            // Say it once per file, not once per line: a full disk would otherwise flood stderr.
            if (failing.add(file)) System.err.println("zdm: cannot write log file " + file + ": " + e.getMessage());
            FileOutputStream broken = open.remove(file);
            if (broken != null) closeQuietly(broken);
        }
    }

    private FileOutputStream channel(Path file) throws IOException {
        FileOutputStream ch = open.get(file);
        if (ch != null) return ch;
        // Opened outside the map's lock; if another thread won the race, use its channel.
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // appended to as it is
        }
        FileOutputStream mine = new FileOutputStream(file.toFile(), true);
        FileOutputStream winner = open.putIfAbsent(file, mine);
        if (winner != null) {
            closeQuietly(mine);
            return winner;
        }
        if (closed) {   // close() ran while we were opening: do not leak the handle
            open.remove(file, mine);
            closeQuietly(mine);
        }
        return mine;
    }

    /** Sort keys: each line's timestamp, or the previous line's for a line without one. */
    private static List<String> keys(List<String> lines) {
        var keys = new ArrayList<String>(lines.size());
        String last = "";
        for (String l : lines) {
            if (l.length() >= TIME_LENGTH && l.charAt(TIME_LENGTH - 1) == 'Z'
                    && (l.length() == TIME_LENGTH || l.charAt(TIME_LENGTH) == ' ')) {
                last = l.substring(0, TIME_LENGTH);
            }
            keys.add(last);
        }
        return keys;
    }

    private static void closeQuietly(FileOutputStream ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing useful to do
        }
    }
}
