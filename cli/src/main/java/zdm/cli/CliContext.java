package zdm.cli;

import java.io.PrintWriter;
import zdm.protocol.Paths;

/**
 * What every command of one CLI invocation (or one interactive shell) shares: the zdm home and how a
 * missing daemon gets started. Immutable.
 */
public record CliContext(Paths paths, DaemonStarter starter) {

    /** The home from {@code ZDM_HOME} (or ~/.zdm), auto-starting a real daemon when needed. */
    public static CliContext fromEnvironment() {
        return new CliContext(Paths.fromEnvironment(), new DaemonLauncher());
    }

    /** A client whose auto-start notice goes to {@code notices} (the command's stderr). */
    public DaemonClient client(PrintWriter notices) {
        return new DaemonClient(paths, starter, notices);
    }
}
