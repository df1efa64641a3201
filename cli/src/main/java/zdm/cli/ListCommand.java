package zdm.cli;

import zdm.view.AppTable;
import zdm.view.Tty;
import zdm.view.AppJson;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import zdm.protocol.AppView;
import zdm.protocol.Request;
import zdm.protocol.Response;

@Command(name = "ls", aliases = {"list", "status"}, mixinStandardHelpOptions = true,
        header = "List apps and their workers.",
        description = {"Per app a summary row (mode, port, ready/desired workers, status, totals), then one row per worker:",
                "pid, status, restarts, uptime, cpu, memory. The table fits the terminal's width."},
        footer = {"", "Examples:",
                "  zdm ls                  the table",
                "  zdm ls web api          only these apps",
                "  zdm ls -w               redraw it every second until q or Ctrl-C",
                "  zdm ls --json | jq .    for scripts (schema in docs/cli.md)"})
final class ListCommand extends ClientCommand {
    @Override
    public boolean needsCallersProcess() {
        return watch; // redraws in the caller's terminal and reads its keys
    }

    @Option(names = "--json", description = "Print a JSON array of apps instead (schema in docs/cli.md).")
    boolean json;

    @Option(names = {"-w", "--watch"}, description = "Redraw every second until q or Ctrl-C (on a non-terminal: a table per second).")
    boolean watch;

    @Parameters(paramLabel = "<app>", arity = "0..*", completionCandidates = AppCandidates.class,
            description = "Only these apps (default: all).")
    List<String> only = List.of();

    @Override
    public Integer call() throws CliException {
        if (json && watch) throw usage("--json and --watch cannot be combined; for a JSON feed run 'zdm ls --json' in a loop");
        Tty tty = tty();
        if (!watch) {
            out().print(json ? AppJson.render(apps()) + "\n" : AppTable.render(apps(), tty));
            out().flush();
            return ExitCodes.OK;
        }
        Watch.run((width, height) -> AppTable.render(apps(), tty.withWidth(width)), out(), tty.terminal());
        return ExitCodes.OK;
    }

    private List<AppView> apps() throws CliException {
        if (!(send(new Request.ListApps()) instanceof Response.Apps apps)) {
            throw new CliException(ExitCodes.FAILED, "unexpected answer from the daemon to ls");
        }
        if (only.isEmpty()) return apps.apps();
        var names = apps.apps().stream().map(AppView::name).toList();
        for (var name : only) {
            if (!names.contains(name)) {
                throw new CliException(ExitCodes.FAILED, zdm.supervisor.Supervisor.notFoundMessage(name, names));
            }
        }
        return apps.apps().stream().filter(a -> only.contains(a.name())).toList();
    }
}
