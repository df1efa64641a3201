package zdm.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import zdm.config.Node.Pos;

/** Collects the errors of one load so that all of them are reported at once. Not thread-safe: one per load. */
final class Problems {

    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    /** A path holds the file's keys as written: a line break in one is shown escaped, so the error stays one line. */
    void add(Pos pos, String path, String message) {
        errors.add(new ConfigError(file, pos.line(), pos.column(), Suggestions.escaped(path, false), message));
    }

    /** Something that does not stop the load, said once: "file: path: message". */
    void warn(String path, String message) {
        warnings.add(file + ": " + Suggestions.escaped(path, false) + ": " + message);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    int count() {
        return errors.size();
    }

    /** In file order (stable, so errors at the same position keep the order they were found in). */
    List<ConfigError> inFileOrder() {
        return errors.stream()
                .sorted(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column))
                .toList();
    }

    /** Where a value is being read: its key path, and where to report. */
    record At(String path, Problems problems) {

        /** Reports a problem with {@code node} and returns null, the readers' "invalid" value. */
        <T> T fail(Node node, String message) {
            problems.add(node.pos(), path, message);
            return null;
        }

        At child(String suffix) {
            return new At(path + suffix, problems);
        }
    }
}
