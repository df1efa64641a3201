package zdm.config;

import static zdm.config.AppKey.DISABLE_LOGS;
import static zdm.config.AppKey.ERROR_FILE;
import static zdm.config.AppKey.LOG_DATE_FORMAT;
import static zdm.config.AppKey.LOG_FILE;
import static zdm.config.AppKey.LOG_TYPE;
import static zdm.config.AppKey.MERGE_LOGS;
import static zdm.config.AppKey.OUT_FILE;
import static zdm.config.AppKey.TIME;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import zdm.config.Node.Scalar;
import zdm.config.Problems.At;

/**
 * Reads pm2's log file keys into {@link LogFiles}: paths relative to the app's cwd ({@code ~/} is the home
 * directory, as in pm2), {@code NULL} or {@code /dev/null} to discard, and a check that each file can be created
 * (a missing directory is created when the first line is written, as pm2 creates it). Stateless.
 */
final class LogFileRules {
    static final String DISCARD = "/dev/null";
    static final String TEXT = "text";
    static final String JSON = "json";

    private LogFileRules() {}

    /** {@code log_file}: a path, or true for {@code $ZDM_HOME/logs/<app>.log}; false is none. */
    static Object pathOrTrue(Node node, At at) {
        if (node instanceof Scalar s && s.value() instanceof Boolean b) return b ? LogFiles.IN_ZDM_LOGS : Boolean.FALSE;
        return ValueReaders.text(node, at);
    }

    /** {@code log_type}: {@code json}, or {@code text} (zdm's name for pm2's default, which has none). */
    static String logType(Node node, At at) {
        if (node instanceof Scalar s && (JSON.equals(s.value()) || TEXT.equals(s.value()))) return (String) s.value();
        return at.fail(node, "expected json (each line a JSON object, as pm2 writes it) or text, got " + Node.describe(node));
    }

    /** The app's log files, or null when it names none; problems are reported through {@code at}. */
    static LogFiles read(Map<AppKey, Node> nodes, Map<AppKey, Object> values, Path cwd, Function<AppKey, At> at) {
        if (cwd == null) return null;
        String out = path(OUT_FILE, nodes, values, cwd, at);
        String err = path(ERROR_FILE, nodes, values, cwd, at);
        Object combinedValue = values.get(LOG_FILE);
        String combined = LogFiles.IN_ZDM_LOGS.equals(combinedValue) ? LogFiles.IN_ZDM_LOGS
                : combinedValue instanceof String ? path(LOG_FILE, nodes, values, cwd, at) : null;
        boolean json = JSON.equals(values.get(LOG_TYPE));
        boolean disabled = Boolean.TRUE.equals(values.get(DISABLE_LOGS));
        if (out == null && err == null && combined == null && !json && !disabled) return null;
        String format = (String) values.get(LOG_DATE_FORMAT);
        if (format == null && Boolean.TRUE.equals(values.get(TIME))) format = LogFiles.PM2_TIME;
        if (format != null && format.isEmpty()) format = null;
        return new LogFiles(out, err, combined, !Boolean.FALSE.equals(values.get(MERGE_LOGS)), format, json, disabled);
    }

    private static String path(AppKey key, Map<AppKey, Node> nodes, Map<AppKey, Object> values, Path cwd,
                               Function<AppKey, At> at) {
        if (!(values.get(key) instanceof String text)) return null;
        if (text.isBlank()) return at.apply(key).fail(nodes.get(key), "must not be empty; give a file path, or /dev/null");
        if (text.equals("NULL") || text.equals(DISCARD)) return DISCARD; // pm2's two ways of saying "no file"
        String home = System.getProperty("user.home");
        Path file = text.equals("~") || text.startsWith("~/") ? Path.of(home + text.substring(1)) : cwd.resolve(text);
        file = file.normalize();
        if (Files.isDirectory(file)) {
            return at.apply(key).fail(nodes.get(key), file + " is a directory; give a file path, like " + file.resolve("out.log"));
        }
        // The nearest directory that exists must let the daemon create the rest (pm2 creates missing directories).
        Path existing = file.getParent();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null || !Files.isDirectory(existing)) {
            return at.apply(key).fail(nodes.get(key), "cannot create " + file + ": " + existing + " is not a directory");
        }
        if (!Files.exists(file) && !Files.isWritable(existing)) {
            return at.apply(key).fail(nodes.get(key), "cannot create " + file + ": " + existing + " is not writable by "
                    + System.getProperty("user.name") + "; choose another path, or /dev/null");
        }
        if (Files.exists(file) && Files.isRegularFile(file) && !Files.isWritable(file)) {
            return at.apply(key).fail(nodes.get(key), "cannot append to " + file + ": not writable by " + System.getProperty("user.name"));
        }
        return file.toString();
    }
}
