package zdm.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import zdm.protocol.Request;

@Command(name = "start", mixinStandardHelpOptions = true,
        header = "Start an ecosystem file, a script, or registered apps.",
        description = {
                "<target> is one of:",
                "- an ecosystem file (*.yaml, *.yml): registers or updates its apps and",
                "  starts them;",
                "- an existing script or program: registers it as an app (see the options)",
                "  and starts it;",
                "- an app name, or 'all': starts registered apps that are stopped.",
                "Prints progress, then the apps table."},
        footer = {"", "Examples:",
                "  zdm start ecosystem.yaml",
                "  zdm start server.js -i max --port 3000",
                "  zdm start job.py --interpreter python3 -e QUEUE=high -- --verbose",
                "  zdm start web",
                "  zdm start all"})
final class StartCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "<target>", completionCandidates = AppCandidates.OrAllOrFile.class,
            description = "Ecosystem file, script, app name or 'all'.")
    String target;

    @Parameters(index = "1..*", paramLabel = "<arg>", description = "Arguments for the script, after '--'.")
    List<String> scriptArgs = new ArrayList<>();

    @Mixin
    InlineAppOptions inline;

    @Override
    public Integer call() throws CliException {
        Request request = request(Path.of(System.getProperty("user.dir")));
        return printResult(send(request));
    }

    /** Decides what {@code target} is; every refusal is a usage error, raised before any connection. */
    Request request(Path cwd) {
        int afterDashes = argsAfterDoubleDash();
        if (scriptArgs.size() > afterDashes) {
            throw usage("unexpected argument '" + scriptArgs.getFirst() + "': start takes one target;"
                    + " put a script's arguments after '--'");
        }
        String problem = inline.problem();
        if (problem != null) throw usage(problem);
        Path file = cwd.resolve(target).normalize();
        String lower = target.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            if (!Files.isRegularFile(file)) throw usage("ecosystem file " + file + " does not exist");
            if (inline.anyGiven() || !scriptArgs.isEmpty()) {
                throw usage("--name, -i, --port, --interpreter, -e and script arguments apply to a script;"
                        + " set them in " + file + " instead");
            }
            return new Request.StartFile(file.toString());
        }
        if (Files.isRegularFile(file)) return new Request.StartInline(inline.toApp(file, cwd, scriptArgs), cwd.toString());
        if (target.contains("/")) throw usage("no such file: " + file);
        if (inline.anyGiven() || !scriptArgs.isEmpty()) {
            throw usage("'" + target + "' is not a file in " + cwd + "; --name, -i, --port, --interpreter, -e"
                    + " and script arguments apply only when starting a script");
        }
        return new Request.StartApps(target);
    }

    /** How many words followed the first "--": picocli does not say which positionals came from there. */
    private int argsAfterDoubleDash() {
        List<String> original = spec.commandLine().getParseResult().originalArgs();
        int dashes = original.indexOf("--");
        return dashes < 0 ? 0 : original.size() - dashes - 1;
    }
}
