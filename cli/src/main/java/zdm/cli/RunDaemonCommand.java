package zdm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import zdm.daemon.DaemonMain;

@Command(name = "daemon", mixinStandardHelpOptions = true,
        header = "Run the daemon in the foreground (for systemd and tests); other commands start it on demand.")
final class RunDaemonCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @ParentCommand
    ZdmCommand root;

    @Override
    public Integer call() {
        return DaemonMain.runForeground(root.context().paths(), DaemonCommands.host(root.context().paths()));
    }
}
