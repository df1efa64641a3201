package zdm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import zdm.protocol.Paths;
import zdm.view.Tty;

/**
 * What every command of one CLI invocation (or one interactive shell) shares: the zdm home, how a
 * missing daemon gets started, the caller's environment (which {@code zdm start <script>} passes
 * to the app, as pm2 does) and the {@link Caller} whose output and files the command is for.
 * Immutable.
 */
public record CliContext(Paths paths, DaemonStarter starter, Map<String, String> environment, Caller caller) {

    /**
     * The process a command runs for, when it runs in another one (the daemon, for the CLI's fast
     * path): its working directory (relative file arguments), time zone (printed times) and stdout.
     */
    public record Caller(Path cwd, ZoneId zone, Tty tty) {}

    public CliContext {
        environment = Map.copyOf(environment);
    }

    /** Without a caller's environment (tests, the AOT training run). */
    public CliContext(Paths paths, DaemonStarter starter) {
        this(paths, starter, Map.of());
    }

    /** For commands run by this process (null {@link #caller}: its own directory, zone and stdout). */
    public CliContext(Paths paths, DaemonStarter starter, Map<String, String> environment) {
        this(paths, starter, environment, null);
    }

    /** The home from {@code ZDM_HOME} (or ~/.zdm), auto-starting a real daemon when needed. */
    public static CliContext fromEnvironment() {
        return new CliContext(Paths.fromEnvironment(), new DaemonLauncher(), System.getenv());
    }

    /** A client whose auto-start notice goes to {@code notices} (the command's stderr). */
    public DaemonClient client(PrintWriter notices) {
        return new DaemonClient(paths, starter, notices);
    }

    /** The caller's working directory, against which file arguments resolve. */
    public Path cwd() {
        return caller == null ? Path.of(System.getProperty("user.dir")) : caller.cwd();
    }

    /** The caller's time zone, in which times are printed. */
    public ZoneId zone() {
        return caller == null ? ZoneId.systemDefault() : caller.zone();
    }

    /** What the caller's stdout can do; may run {@code stty}, so asked once per command ({@link ClientCommand#tty()}). */
    public Tty tty() {
        return caller == null ? Tty.detect() : caller.tty();
    }
}
