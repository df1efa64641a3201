package zdm.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import zdm.protocol.Request;
import zdm.protocol.Response;

@Command(name = "describe", aliases = {"show", "info"}, mixinStandardHelpOptions = true,
        header = "Show an app's resolved config, workers, log files and recent events.")
final class DescribeCommand extends ClientCommand {
    @Parameters(paramLabel = "<app>", completionCandidates = AppCandidates.class, description = "The app's name.")
    String app;

    @Option(names = "--show-secrets", description = "Show env values whose names look secret (*TOKEN*, *SECRET*, *PASSWORD*,"
            + " *KEY*, *PASS*, *CREDENTIAL*); without it the daemon sends them masked.")
    boolean showSecrets;

    @Override
    public Integer call() throws CliException {
        Response response = send(new Request.Describe(app, showSecrets));
        if (!(response instanceof Response.Described described)) throw unexpected(response);
        out().print(DescribeView.render(described.app(), zone()));
        out().flush();
        return ExitCodes.OK;
    }
}
