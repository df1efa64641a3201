package zdm.cli;

import picocli.CommandLine.Command;
import zdm.protocol.Request;

@Command(name = "restart", mixinStandardHelpOptions = true,
        header = "Restart an app (or all apps) worker by worker, without downtime.")
final class RestartCommand extends LifecycleCommand {
    @Override
    Request request(String target) {
        return new Request.Restart(target);
    }
}
