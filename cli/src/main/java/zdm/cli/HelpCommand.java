package zdm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code zdm help [<command>]}. Replaces picocli's built-in help command, which ignores extra
 * arguments and unknown options ({@code zdm help ls ls} printed help and exited 0): here they are
 * usage errors like everywhere else. Not a picocli {@code helpCommand}: picocli skips the check for
 * unmatched arguments of those.
 */
@Command(name = "help", mixinStandardHelpOptions = true,
        header = "Show the help of zdm, or of one command.")
final class HelpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<command>", arity = "0..1", description = "The command to describe.")
    String command;

    @Override
    public Integer call() {
        CommandLine root = spec.parent().commandLine();
        CommandLine target = root;
        if (command != null) {
            target = root.getSubcommands().get(command);
            if (target == null) {
                throw new ParameterException(spec.commandLine(), "unknown command '" + command + "'");
            }
        }
        target.usage(spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
