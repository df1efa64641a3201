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
        if (caller != null) return caller.tty();
        var t = zdm.client.Terminal.detect();
        return new Tty(t.terminal(), t.colour(), t.width());
    }

    /**
     * Whether picocli's help and usage messages are in colour: its own guess (AUTO) in this process;
     * for a caller, the same guess made from the caller's terminal and environment, since the
     * daemon's own (no terminal, its own variables) would print help without the colours the
     * caller's process prints (picocli's Ansi.ansiPossible on Linux: NO_COLOR set, none;
     * CLICOLOR_FORCE other than 0, colour; CLICOLOR=0 or ConEmuANSI=OFF, none; else colour on a terminal).
     */
    public picocli.CommandLine.Help.Ansi helpAnsi() {
        if (caller == null) return picocli.CommandLine.Help.Ansi.AUTO;
        String force = environment.get("CLICOLOR_FORCE");
        boolean on = !environment.containsKey("NO_COLOR")
                && ((force != null && !force.equals("0"))
                    || (!"0".equals(environment.get("CLICOLOR")) && !"OFF".equals(environment.get("ConEmuANSI")) && caller.tty().terminal()));
        return on ? picocli.CommandLine.Help.Ansi.ON : picocli.CommandLine.Help.Ansi.OFF;
    }
}
