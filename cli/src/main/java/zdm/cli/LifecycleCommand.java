package zdm.cli;

import picocli.CommandLine.Parameters;
import zdm.protocol.Request;

/** stop, restart and delete: one target, progress lines, then the daemon's message and table. */
abstract class LifecycleCommand extends ClientCommand {
    @Parameters(paramLabel = "<app|all>", completionCandidates = AppCandidates.OrAll.class, description = "An app name, or 'all' for every app.")
    String target;

    abstract Request request(String target);

    @Override
    public Integer call() throws CliException {
        return printResult(send(request(target)));
    }
}
