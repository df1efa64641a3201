package zdm.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Builds and runs the {@code zdm} command tree. Reused by {@link Main}, the tests and an interactive
 * shell; all output goes to the given writers. Each call builds a fresh tree, so calls are independent.
 */
public final class Cli {
    private Cli() {}

    /** The command tree with zdm's error handling, writing to {@code out} and {@code err}. */
    public static CommandLine commandLine(CliContext context, PrintWriter out, PrintWriter err) {
        var handler = new ErrorHandler();
        return new CommandLine(new ZdmCommand(context))
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler(handler)
                .setExecutionExceptionHandler(handler);
    }

    /** Runs one command line and returns its exit code (see {@link ExitCodes}). */
    public static int run(CliContext context, String[] args, PrintWriter out, PrintWriter err) {
        try {
            return commandLine(context, out, err).execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Runs one command line against the home of {@code ZDM_HOME} (or ~/.zdm). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(CliContext.fromEnvironment(), args, out, err);
    }
}
