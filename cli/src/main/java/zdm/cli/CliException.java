package zdm.cli;

import java.util.List;
import zdm.protocol.Response;

/**
 * A failure to report to the user as {@code zdm: <message>} (plus {@code details}, one per line)
 * and to turn into the exit code. The message is one line and names what failed and the fix.
 */
public class CliException extends Exception {
    private final int exitCode;
    private final List<String> details;

    public CliException(int exitCode, String message) {
        this(exitCode, message, List.of(), null);
    }

    public CliException(int exitCode, String message, List<String> details, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.details = List.copyOf(details);
    }

    /** The daemon's refusal or failure, with the exit code of its kind. */
    public static CliException of(Response.Failed failed) {
        return new CliException(failed.kind().exitCode(), failed.message(), failed.details(), null);
    }

    public int exitCode() {
        return exitCode;
    }

    public List<String> details() {
        return details;
    }
}
