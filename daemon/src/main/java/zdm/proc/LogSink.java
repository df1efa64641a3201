package zdm.proc;

/** Stdout/stderr lines of workers go here. Implementations must be thread-safe. */
public interface LogSink {
    /**
     * One line of output, without its line terminator.
     *
     * @param err true for stderr, false for stdout
     */
    void line(String app, int worker, boolean err, String text);

    /**
     * Several consecutive lines of one stream, read at once. A sink that writes files should write them
     * together (one system call); the batch is reused after the call returns.
     */
    default void lines(String app, int worker, boolean err, LineBatch batch) {
        for (int i = 0; i < batch.count(); i++) line(app, worker, err, batch.text(i));
    }

    /** A note of the daemon's own about an app's output (e.g. that some of it had to be skipped). */
    default void note(String app, String text) {}
}
