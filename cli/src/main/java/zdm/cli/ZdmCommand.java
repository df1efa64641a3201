package zdm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code zdm} command; holds the {@link CliContext} its subcommands reach via @ParentCommand. */
@Command(name = "zdm", mixinStandardHelpOptions = true, version = "zdm " + Version.VERSION,
        header = "zdm, the zero-downtime process manager.",
        description = "Runs apps (any language) as supervised workers under a per-user daemon,"
                + " which zdm starts on first use.",
        footer = {"", "Run 'zdm <command> --help' for a command's options. Exit codes: 0 ok, 1 failed,"
                + " 2 usage or config error, 3 daemon unreachable or denied, 130 interrupted."},
        commandListHeading = "%nCommands:%n",
        subcommands = {StartCommand.class, StopCommand.class, RestartCommand.class, ReloadCommand.class, DeleteCommand.class,
                ListCommand.class, MonitCommand.class, DescribeCommand.class, LogsCommand.class, ScaleCommand.class,
                PingCommand.class, KillCommand.class, VersionCommand.class, RunDaemonCommand.class,
                HelpCommand.class, EventsCommand.class, FlushCommand.class, CompletionCommand.class,
                ShellCommand.class, ExportCommand.class,
                StartupCommand.class, UnstartupCommand.class, RunCommand.class, DashboardCommand.class})
public final class ZdmCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    public ZdmCommand(CliContext context) {
        this.context = context;
    }

    public CliContext context() {
        return context;
    }

    /**
     * {@code zdm} without a command: the interactive shell in a terminal; elsewhere (scripts, CI) the
     * usage on stderr, as for any other usage error.
     */
    @Override
    public Integer call() throws CliException {
        if (Shell.interactive() && !Shell.isOpen()) return Shell.open(context);
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
