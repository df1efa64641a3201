package zdm.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import zdm.protocol.Request;
import zdm.protocol.Response;

@Command(name = "flush", mixinStandardHelpOptions = true,
        header = "Empty an app's log files (rotated ones are deleted); the workers keep running and logging.")
final class FlushCommand extends ClientCommand {
    @Parameters(paramLabel = "<app|all>", arity = "0..1", defaultValue = "all", completionCandidates = AppCandidates.OrAll.class,
            description = "An app name, or 'all' (the default).")
    String target;

    @Override
    public Integer call() throws CliException {
        return printResult(send(new Request.Flush(target)));
    }
}
