package zdm.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into one line {@code zdm: <message>} on stderr and an exit code (see
 * {@link ExitCodes}); usage errors get a second line pointing at the command's help. Stack traces
 * only with {@code --debug}. Stateless.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private static final String DEBUG = "--debug";

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("zdm: " + message(ex));
        String hint = "Try '" + cmd.getCommandSpec().qualifiedName() + " --help'";
        if (ex instanceof UnmatchedArgumentException unmatched) {
            String foreign = unknownCommand(unmatched) ? ForeignVerbs.hint(unmatched.getUnmatched().getFirst()) : null;
            var suggestions = unmatched.getSuggestions().stream().filter(s -> !ForeignVerbs.NEVER_SUGGESTED.contains(s)).toList();
            if (foreign != null) {
                hint = foreign;
            } else if (!suggestions.isEmpty()) {
                hint = "Did you mean: " + String.join(", ", suggestions) + "? " + hint;
            }
        }
        err.println(hint);
        if (Arrays.asList(args).contains(DEBUG)) ex.printStackTrace(err);
        err.flush();
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (ex instanceof OutputClosedException) return ExitCodes.OK; // the reader stopped reading: not an error
        int code;
        if (ex instanceof CliException cli) {
            err.println("zdm: " + cli.getMessage());
            cli.details().forEach(err::println);
            code = cli.exitCode();
        } else if (ex instanceof InterruptedException) {
            err.println("zdm: interrupted");
            code = ExitCodes.INTERRUPTED;
        } else {
            // A bug in zdm: still one line, and the way to get the details.
            err.println("zdm: internal error: " + ex + (debug(parsed) ? "" : " (run again with --debug for the stack trace)"));
            code = ExitCodes.FAILED;
        }
        if (debug(parsed)) ex.printStackTrace(err);
        err.flush();
        return code;
    }

    private static boolean debug(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(DEBUG)) return true;
        }
        return false;
    }

    private static boolean unknownCommand(UnmatchedArgumentException ex) {
        return !ex.isUnknownOption() && !ex.getUnmatched().isEmpty() && !ex.getCommandLine().getSubcommands().isEmpty();
    }

    /** picocli's message, except that "Unmatched argument at index 0" says what is wrong in words. */
    static String message(ParameterException ex) {
        if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.isUnknownOption()
                && !unmatched.getUnmatched().isEmpty()) {
            List<String> words = unmatched.getUnmatched();
            if (!ex.getCommandLine().getSubcommands().isEmpty()) return "unknown command '" + words.getFirst() + "'";
            return (words.size() == 1 ? "unexpected argument " : "unexpected arguments ")
                    + words.stream().map(w -> "'" + w + "'").collect(Collectors.joining(" "));
        }
        return firstLine(ex.getMessage());
    }

    private static String firstLine(String message) {
        if (message == null) return "invalid arguments";
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
