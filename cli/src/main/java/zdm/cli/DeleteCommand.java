package zdm.cli;

import picocli.CommandLine.Command;
import zdm.protocol.Request;

@Command(name = "delete", aliases = "del", mixinStandardHelpOptions = true,
        header = "Stop an app (or all apps) and forget it.")
final class DeleteCommand extends LifecycleCommand {
    @Override
    Request request(String target) {
        return new Request.Delete(target);
    }
}
