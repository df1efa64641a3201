package zdm.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import zdm.protocol.Request;

@Command(name = "reload", mixinStandardHelpOptions = true,
        header = "Replace an app's workers one at a time without dropping a request.",
        description = {"For each worker: start a replacement, wait until it is ready, put it in rotation,",
                "take the old one out, let its open connections finish (up to kill_timeout), then stop it.",
                "A replacement that exits or is not ready within listen_timeout is killed and the reload stops;",
                "the workers not yet replaced keep serving. Exits 0 only when every worker was replaced."},
        footer = {"", "Examples:", "  zdm reload web        # after deploying new code for web",
                "  zdm reload all        # every app, like SIGHUP to the daemon"})
final class ReloadCommand extends LifecycleCommand {
    @Mixin
    UpdateEnvOption updateEnv;

    @Override
    Request request(String target) {
        return new Request.Reload(target, updateEnv.environment(this));
    }
}
