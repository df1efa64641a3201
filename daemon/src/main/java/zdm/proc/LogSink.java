package zdm.proc;

/** Stdout/stderr lines of workers go here. Implementations must be thread-safe. */
public interface LogSink {
    /**
     * One line of output, without its line terminator.
     *
     * @param err true for stderr, false for stdout
     */
    void line(String app, int worker, boolean err, String text);
}
