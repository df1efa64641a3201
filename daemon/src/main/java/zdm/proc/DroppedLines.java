package zdm.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The log files that cannot be written now (a full disk), with the lines dropped since: said once when a file
 * starts failing and once, with the count, when it can be written again, never once per line (a full disk would
 * fill the daemon's own log). Thread-safe; called on the writing threads of {@link AppLogs}.
 */
final class DroppedLines {
    private final Map<Path, AtomicLong> failing = new ConcurrentHashMap<>();
    private volatile BiConsumer<String, String> trouble =
            (app, message) -> System.err.println("zdm: " + app + ": " + message);

    /** Where the two messages go. Called on the writing thread: hand the message on and return. */
    void onTrouble(BiConsumer<String, String> trouble) {
        this.trouble = Objects.requireNonNull(trouble);
    }

    /** {@code lines} of the app could not be written to {@code file}: counted, and said if the file was fine until now. */
    void cannotWrite(String app, Path file, IOException e, int lines) {
        var dropped = new AtomicLong();
        var before = failing.putIfAbsent(file, dropped);
        (before == null ? dropped : before).addAndGet(lines);
        if (before == null) {
            tell(app, "cannot write " + file + " (" + e.getMessage() + "): its lines are dropped, and counted,"
                    + " until it can be written again; the app keeps running");
        }
    }

    /** A write to {@code file} succeeded: if it was failing, says how many lines were dropped meanwhile. */
    void writable(String app, Path file) {
        if (failing.isEmpty()) return;
        var dropped = failing.remove(file);
        if (dropped != null) {
            tell(app, file.getFileName() + " can be written again; " + dropped.get() + " line(s) were dropped meanwhile");
        }
    }

    private void tell(String app, String message) {
        try {
            trouble.accept(app, message);
        } catch (RuntimeException ignored) {
            // reporting must not break logging
        }
    }
}
