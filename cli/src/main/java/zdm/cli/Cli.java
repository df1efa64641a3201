package zdm.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import zdm.view.Tty;

/**
 * Builds and runs the {@code zdm} command tree. Reused by {@link Main}, the tests and an interactive
 * shell; all output goes to the given writers. Each call builds a fresh tree, so calls are independent.
 */
public final class Cli {
    private Cli() {}

    /** The command tree with zdm's error handling, writing to {@code out} and {@code err}. */
    public static CommandLine commandLine(CliContext context, PrintWriter out, PrintWriter err) {
        var commandLine = new CommandLine(new ZdmCommand(context));
        // Inside the shell, 'help' lists only what runs there (the shell refuses the others itself).
        if (Shell.isOpen()) CommandCompleter.NOT_IN_SHELL.forEach(commandLine.getCommandSpec()::removeSubcommand);
        return withHandlers(commandLine, out, err);
    }

    /**
     * The tree for running {@code args}: when they start with a subcommand's name, only that subcommand
     * under a bare {@code zdm} root. picocli inspects every command of a tree up front (reflection over
     * all their annotations, ~40% of a short command's CPU time), so building one instead of all of
     * them is what makes {@code zdm ls} cheap. Anything else (options first, {@code help}, a typo that
     * needs suggestions, no command) gets the full tree.
     */
    static CommandLine commandLineFor(String[] args, CliContext context, PrintWriter out, PrintWriter err) {
        Class<?> only = args.length == 0 ? null : subcommandNamed(args[0]);
        if (only == null) return commandLine(context, out, err);
        var rootSpec = CommandSpec.wrapWithoutInspection(new ZdmCommand(context)).name("zdm");
        var root = new CommandLine(rootSpec);
        root.addSubcommand(new CommandLine(only));
        return withHandlers(root, out, err);
    }

    /**
     * The zdm subcommand class whose name or alias is {@code word}, or null. Never one of the commands
     * that work on the whole tree: {@code help} (describes any command) and {@code completion} (a
     * script for every command).
     */
    static Class<?> subcommandNamed(String word) {
        if (word.startsWith("-")) return null;
        for (Class<?> c : ZdmCommand.class.getAnnotation(Command.class).subcommands()) {
            if (c == HelpCommand.class || c == CompletionCommand.class || c == CommandLine.HelpCommand.class) continue;
            Command command = c.getAnnotation(Command.class);
            if (command != null && (command.name().equals(word) || Arrays.asList(command.aliases()).contains(word))) {
                return c;
            }
        }
        return null;
    }

    private static CommandLine withHandlers(CommandLine commandLine, PrintWriter out, PrintWriter err) {
        var handler = new ErrorHandler();
        CliContext context = ((ZdmCommand) commandLine.getCommand()).context();
        return commandLine
                .setColorScheme(CommandLine.Help.defaultColorScheme(context.helpAnsi()))
                .setHelpFactory((spec, scheme) -> helpFittedToTheTerminal(spec, scheme, context))
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler(handler)
                .setExecutionExceptionHandler(handler);
    }

    /**
     * Help as wide as the terminal (a 160-column terminal got text wrapped at 80): asked only when
     * help is printed, since finding the width may run {@code stty}. Not a terminal: picocli's 80.
     */
    private static CommandLine.Help helpFittedToTheTerminal(CommandSpec spec, CommandLine.Help.ColorScheme scheme,
                                                            CliContext context) {
        spec.usageMessage().width(helpWidth(context.tty()));
        return new CommandLine.Help(spec, scheme);
    }

    /** The terminal's width, at least picocli's minimum (55); 80 when the output is not a terminal. */
    static int helpWidth(Tty tty) {
        return tty.terminal() && tty.width() > 0 ? Math.max(MIN_HELP_WIDTH, tty.width()) : Tty.FALLBACK_WIDTH;
    }

    private static final int MIN_HELP_WIDTH = 55;

    /** Runs one command line and returns its exit code (see {@link ExitCodes}). */
    public static int run(CliContext context, String[] args, PrintWriter out, PrintWriter err) {
        try {
            return commandLineFor(args, context, out, err).execute(args);
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
