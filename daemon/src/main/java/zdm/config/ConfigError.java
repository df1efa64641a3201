package zdm.config;

/**
 * One problem in a configuration, pointing at the offending value. Immutable, thread-safe.
 *
 * @param file   the file as shown to the user (relative to the working directory when under it), or
 *               {@code "<command line>"}
 * @param line   1-based line, or 0 when there is no position (file unreadable, command line)
 * @param column 1-based column, or 0
 * @param path   the key path, e.g. {@code apps[1].instances}; empty for problems with the whole file
 * @param message what is wrong and how to fix it, one line
 */
public record ConfigError(String file, int line, int column, String path, String message) {

    /** {@code file:line:col: apps[1].instances: expected a positive integer or "max", got "two"}. */
    public String format() {
        var out = new StringBuilder(file);
        if (line > 0) out.append(':').append(line).append(':').append(column);
        out.append(": ");
        if (!path.isEmpty()) out.append(path).append(": ");
        return out.append(message).toString();
    }
}
