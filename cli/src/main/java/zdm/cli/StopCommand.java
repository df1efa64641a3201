package zdm.cli;

import picocli.CommandLine.Command;
import zdm.protocol.Request;

@Command(name = "stop", mixinStandardHelpOptions = true,
        header = "Stop an app's workers (or all apps); they stay registered.")
final class StopCommand extends LifecycleCommand {
    @Override
    Request request(String target) {
        return new Request.Stop(target);
    }
}
