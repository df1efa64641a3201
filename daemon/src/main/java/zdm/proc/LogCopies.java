package zdm.proc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The log files a user named for an app (pm2's {@code out_file}, {@code error_file}, {@code log_file}), written
 * beside zdm's own logs, which stay what {@code zdm logs} reads. Lines go there as pm2 writes them: the app's text
 * alone, or after {@code <date>: } with a {@code log_date_format}; one file per worker ({@code out-0.log},
 * {@code out-1.log}, pm2's {@code -<id>} before {@code .log}) unless the logs are merged; with pm2's
 * {@code log_type: json}, each line as pm2's JSON object ({@code {"message":"text\n","timestamp":...,"type":"out",
 * "process_id":0,"app_name":"web"}}, the worker id as process_id). Only the app's own output is copied, not zdm's notes. {@code /dev/null} (or pm2's {@code NULL}) is never opened.
 *
 * <p>Thread-safe: settings and open files live in concurrent maps; each {@link UserLogFile} serialises its writes.
 */
final class LogCopies {
    /** Where an app's lines go; a null path: not copied. */
    record Settings(Path out, Path err, Path combined, boolean merge, String dateFormat, boolean json) {}

    /** Told about each write, for AppLogs' once-per-file trouble reports. */
    interface Outcome {
        void written(Path file);

        void failed(Path file, IOException e, int lines);
    }

    private static final Pattern LOG_SUFFIX = Pattern.compile("-[0-9]+\\.log$|\\.log$");

    private record Active(Settings settings, LogDateFormat date) {}

    private final Map<String, Active> byApp = new ConcurrentHashMap<>();
    private final Map<Path, UserLogFile> open = new ConcurrentHashMap<>();
    private final Map<String, java.util.Set<Path>> writtenBy = new ConcurrentHashMap<>();

    void set(String app, Settings settings) {
        if (settings == null) {
            byApp.remove(app);
        } else {
            byApp.put(app, new Active(settings, settings.dateFormat() == null ? null : new LogDateFormat(settings.dateFormat())));
        }
    }

    boolean has(String app) {
        return byApp.containsKey(app);
    }

    void write(String app, int worker, boolean err, List<String> lines, Outcome outcome) {
        var active = byApp.get(app);
        if (active == null || lines.isEmpty()) return;
        var s = active.settings();
        long now = System.currentTimeMillis();
        String date = active.date() == null ? null : active.date().format(now);
        var bytes = new ByteArrayOutputStream(lines.size() * 80);
        for (String line : lines) {
            String text = s.json() ? json(line, date != null ? date : AppLogs.timestamp(java.time.Instant.ofEpochMilli(now)),
                    err, worker, app) : date == null ? line : date + ": " + line;
            bytes.writeBytes((text + "\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] data = bytes.toByteArray();
        for (Path target : targets(s, worker, err)) {
            try {
                open.computeIfAbsent(target, UserLogFile::new).append(data, data.length);
                writtenBy.computeIfAbsent(app, k -> ConcurrentHashMap.newKeySet()).add(target);
                outcome.written(target);
            } catch (IOException e) {
                outcome.failed(target, e, lines.size());
            }
        }
    }

    /** pm2's JSON line: the keys in pm2's order, the message with the newline pm2's chunk ends with. */
    static String json(String line, String timestamp, boolean err, int worker, String app) {
        var quote = com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance();
        return "{\"message\":\"" + new String(quote.quoteAsString(line + "\n")) + "\",\"timestamp\":\""
                + new String(quote.quoteAsString(timestamp)) + "\",\"type\":\"" + (err ? "err" : "out")
                + "\",\"process_id\":" + worker + ",\"app_name\":\"" + new String(quote.quoteAsString(app)) + "\"}";
    }

    /** Empties the app's files ({@code zdm flush}): the ones it names, and each worker's that this daemon wrote. */
    void truncate(String app) throws IOException {
        var active = byApp.get(app);
        if (active == null) return;
        var files = new java.util.LinkedHashSet<Path>(writtenBy.getOrDefault(app, java.util.Set.of()));
        var s = active.settings();
        if (s.merge()) for (Path p : new Path[] {s.out(), s.err(), s.combined()}) if (written(p)) files.add(p);
        for (Path p : files) open.computeIfAbsent(p, UserLogFile::new).truncate();
    }

    void close() {
        open.values().forEach(UserLogFile::close);
    }

    private static List<Path> targets(Settings s, int worker, boolean err) {
        var list = new ArrayList<Path>(2);
        Path stream = err ? s.err() : s.out();
        if (written(stream)) list.add(s.merge() ? stream : perWorker(stream, worker));
        if (written(s.combined())) list.add(s.merge() ? s.combined() : perWorker(s.combined(), worker));
        return list;
    }

    private static boolean written(Path p) {
        return p != null && !p.toString().equals("/dev/null");
    }

    /** pm2's naming: {@code app.log} → {@code app-2.log} for worker 2; a name without {@code .log} is shared. */
    static Path perWorker(Path file, int worker) {
        String name = file.getFileName().toString();
        var m = LOG_SUFFIX.matcher(name);
        return m.find() ? file.resolveSibling(name.substring(0, m.start()) + "-" + worker + ".log") : file;
    }
}
