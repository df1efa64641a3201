package zdm.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import zdm.protocol.Request;
import zdm.protocol.Response;

@Command(name = "ls", aliases = {"list", "status"}, mixinStandardHelpOptions = true,
        header = "List apps and their workers.",
        description = "Columns: app, worker, pid, status, restarts, uptime, cpu, memory.")
final class ListCommand extends ClientCommand {
    @Option(names = "--json", description = "Print a JSON array of apps instead (schema in docs/cli.md).")
    boolean json;

    @Override
    public Integer call() throws CliException {
        if (!(send(new Request.ListApps()) instanceof Response.Apps apps)) {
            throw new CliException(ExitCodes.FAILED, "unexpected answer from the daemon to ls");
        }
        out().print(json ? AppJson.render(apps.apps()) + "\n" : AppTable.render(apps.apps()));
        out().flush();
        return ExitCodes.OK;
    }
}
