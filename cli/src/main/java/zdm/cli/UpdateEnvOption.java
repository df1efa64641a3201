package zdm.cli;

import java.util.Map;
import picocli.CommandLine.Option;

/** pm2's {@code --update-env} (and its {@code -a}), for start, restart and reload. */
final class UpdateEnvOption {
    @Option(names = {"-a", "--update-env"},
            description = "Give the app the environment of this command first (pm2's --update-env): its variables"
                    + " replace the app's of the same name, and the app keeps them.")
    boolean given;

    /** What the request carries: the caller's environment with the option, else null (the app keeps its own). */
    Map<String, String> environment(ClientCommand command) {
        return given ? command.callerEnvironment() : null;
    }
}
