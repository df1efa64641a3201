package zdm.cli;

import picocli.CommandLine.Command;
import zdm.protocol.Request;

@Command(name = "restart", mixinStandardHelpOptions = true,
        header = "Stop every worker of an app (or all apps), then start them again; the port stays open.")
final class RestartCommand extends LifecycleCommand {
    @Override
    Request request(String target) {
        return new Request.Restart(target);
    }
}
