package zdm.cli;

import picocli.CommandLine.Command;
import zdm.protocol.Request;
import zdm.protocol.Response;

@Command(name = "version", mixinStandardHelpOptions = true,
        header = "Print the version of zdm, and of the daemon if one runs (never starts one).")
final class VersionCommand extends ClientCommand {
    @Override
    public Integer call() throws CliException {
        out().println("zdm " + Version.VERSION);
        out().flush();
        var answer = client().callIfRunning(new Request.Ping(), r -> {});
        if (answer.isPresent() && succeeded(answer.get()) instanceof Response.Pong pong) {
            out().println("daemon " + pong.version() + " (pid " + pong.pid() + ", protocol " + pong.protocol()
                    + ", home " + pong.home() + ")");
        }
        out().flush();
        return ExitCodes.OK;
    }
}
