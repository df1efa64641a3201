package zdm.cli;

import java.io.PrintWriter;
import zdm.protocol.Paths;

/**
 * What every command of one CLI invocation (or one interactive shell) shares: the zdm home, how a
 * missing daemon gets started, and the caller's environment (which {@code zdm start <script>} passes
 * to the app, as pm2 does). Immutable.
 */
public record CliContext(Paths paths, DaemonStarter starter, java.util.Map<String, String> environment) {

    public CliContext {
        environment = java.util.Map.copyOf(environment);
    }

    /** Without a caller's environment (tests, the AOT training run). */
    public CliContext(Paths paths, DaemonStarter starter) {
        this(paths, starter, java.util.Map.of());
    }

    /** The home from {@code ZDM_HOME} (or ~/.zdm), auto-starting a real daemon when needed. */
    public static CliContext fromEnvironment() {
        return new CliContext(Paths.fromEnvironment(), new DaemonLauncher(), System.getenv());
    }

    /** A client whose auto-start notice goes to {@code notices} (the command's stderr). */
    public DaemonClient client(PrintWriter notices) {
        return new DaemonClient(paths, starter, notices);
    }
}
