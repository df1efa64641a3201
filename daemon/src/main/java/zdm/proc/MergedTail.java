package zdm.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The read side of {@link AppLogs}: the last lines of an app's out and err files, merged into one list by their
 * timestamps, as {@code zdm logs} shows them. Reaches into the newest rotated file when the current one holds
 * fewer lines than asked for. Thread-safe (stateless).
 */
final class MergedTail {
    private static final int TIME_LENGTH = "2026-11-24T23:59:59.123Z".length();

    private MergedTail() {}

    /** The last n lines of both files (null for a file not asked for), merged by timestamp (stable), oldest first. */
    static List<AppLogs.Entry> lastLines(Path outFile, Path errFile, int n) throws IOException {
        List<String> out = outFile != null ? lastLines(outFile, n) : List.of();
        List<String> err = errFile != null ? lastLines(errFile, n) : List.of();
        List<String> outKeys = keys(out);
        List<String> errKeys = keys(err);
        var merged = new ArrayList<AppLogs.Entry>(out.size() + err.size());
        int i = 0, j = 0;
        while (i < out.size() || j < err.size()) {
            // ties go to stdout; each file keeps its own order even if its clock went backwards
            boolean takeErr = i == out.size() || (j < err.size() && errKeys.get(j).compareTo(outKeys.get(i)) < 0);
            merged.add(takeErr ? new AppLogs.Entry(err.get(j++), true) : new AppLogs.Entry(out.get(i++), false));
        }
        return List.copyOf(merged.subList(Math.max(0, merged.size() - n), merged.size()));
    }

    /** The last n lines of a file, continued from its newest rotated file when it holds fewer. */
    private static List<String> lastLines(Path file, int n) throws IOException {
        List<String> current = LogTail.lastLines(file, n);
        if (current.size() >= n) return current;
        var joined = new ArrayList<>(LogTail.lastLines(LogFile.rotated(file, 1), n - current.size()));
        joined.addAll(current);
        return joined;
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
}
