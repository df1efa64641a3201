package zdm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "shell", mixinStandardHelpOptions = true,
        header = "Open the interactive shell (what 'zdm' alone does in a terminal).",
        description = {"Every command works there as on the command line, with Tab completion of commands,",
                "options and app names, history (Up, Ctrl-R) in $ZDM_HOME/shell_history, and a prompt",
                "that shows the daemon's state. Ctrl-C interrupts a command; Ctrl-D or 'exit' leaves."})
final class ShellCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @ParentCommand
    ZdmCommand root;

    @Override
    public Integer call() throws CliException {
        return Shell.open(root.context());
    }
}
