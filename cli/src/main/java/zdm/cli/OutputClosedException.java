package zdm.cli;

/**
 * Stdout went away (e.g. {@code zdm logs -f | head -1} after head exited): stop streaming and end
 * quietly instead of following into a closed pipe forever.
 */
final class OutputClosedException extends RuntimeException {
    OutputClosedException() {
        super("stdout was closed", null, false, false);
    }
}
