package zdm.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import zdm.protocol.Request;

@Command(name = "restart", mixinStandardHelpOptions = true,
        header = "Stop every worker of an app (or all apps), then start them again; the port stays open.")
final class RestartCommand extends LifecycleCommand {
    @Mixin
    UpdateEnvOption updateEnv;

    @Override
    Request request(String target) {
        return new Request.Restart(target, updateEnv.environment(this));
    }
}
