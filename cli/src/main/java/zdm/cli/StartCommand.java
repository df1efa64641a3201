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
                "- an ecosystem file (*.yaml, *.yml, or pm2's *.json, *.json5, *.config.js):",
                "  registers or updates its apps and starts them (changed apps are",
                "  reloaded; --env NAME uses env_NAME blocks; --prune deletes apps",
                "  no longer in the file);",
                "- an existing script or program: registers it as an app (see the options)",
                "  and starts it; a program on the PATH with its arguments after '--'",
                "  (pm2's 'start npm -- start');",
                "- an app name, or 'all': starts registered apps that are stopped.",
                "Prints progress, then the apps table."},
        footer = {"", "Examples:",
                "  zdm start ecosystem.yaml",
                "  zdm start ecosystem.yaml --env production --prune",
                "  zdm start ecosystem.config.js",
                "  zdm start server.js -i max --port 3000",
                "  zdm start job.py --interpreter python3 -e QUEUE=high -- --verbose",
                "  zdm start npm --name web -- run serve",
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

    @Mixin
    UpdateEnvOption updateEnv;

    @picocli.CommandLine.Option(names = "--prune",
            description = "With an ecosystem file: delete the apps that came from this file but are no longer in it.")
    boolean prune;

    @Override
    public Integer call() throws CliException {
        Request request = request(root.context().cwd());
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
        if (isEcosystemFile(target)) {
            if (!Files.isRegularFile(file)) throw usage("ecosystem file " + file + " does not exist");
            if (inline.anyScriptOnlyGiven() || !scriptArgs.isEmpty()) {
                throw usage("--name, -i, --port, --interpreter and script arguments apply to a script;"
                        + " set them in " + file + " instead");
            }
            String envProblem = inline.envBlockProblem();
            if (envProblem != null) throw usage(envProblem);
            return new Request.StartFile(file.toString(), inline.envWords.isEmpty() ? null : inline.envWords.getFirst(), prune,
                    updateEnv.given ? callerEnvironment() : evaluationEnv(), updateEnv.given);
        }
        if (prune) throw usage("--prune applies to an ecosystem file, not to " + target);
        if (Files.isRegularFile(file)) {
            String envProblem = inline.scriptEnvProblem();
            if (envProblem != null) throw usage(envProblem);
            return new Request.StartInline(inline.toApp(file, cwd, scriptArgs, callerEnvironment()), cwd.toString());
        }
        if (target.contains("/")) throw usage("no such file: " + file);
        if (inline.anyScriptOnlyGiven() || !scriptArgs.isEmpty() || doubleDashGiven()) {
            // pm2's `start npm -- start`: a program on the PATH, with its arguments after --
            var env = callerEnvironment();
            if (ProgramOnPath.find(target, env.getOrDefault("PATH", env.isEmpty() ? System.getenv("PATH") : null), cwd) != null) {
                String envProblem = inline.scriptEnvProblem();
                if (envProblem != null) throw usage(envProblem);
                return new Request.StartInline(inline.toProgramApp(target, cwd, scriptArgs, env), cwd.toString());
            }
            throw usage("'" + target + "' is not a file in " + cwd + " nor a program on the PATH; --name, -i, --port,"
                    + " --interpreter and arguments after -- apply only when starting a script or a program");
        }
        if (inline.envWords.isEmpty()) return new Request.StartApps(target, null, null, updateEnv.environment(this));
        // As pm2's 'start <app> --env <name>': the app's env_<name> block, from the file it came from.
        if ("all".equals(target)) {
            throw usage("-e with 'all': start the ecosystem file instead, e.g. zdm start ecosystem.yaml --env "
                    + inline.envWords.getFirst());
        }
        if (inline.envWords.size() > 1 || inline.envWords.getFirst().contains("=")) {
            throw usage("-e " + String.join(" -e ", inline.envWords) + ": for a registered app, -e takes the name of one"
                    + " env_<name> block of its ecosystem file, e.g. -e production (KEY=VALUE is for starting a script)");
        }
        String envProblem = inline.envBlockProblem();
        if (envProblem != null) throw usage(envProblem);
        return new Request.StartApps(target, inline.envWords.getFirst(), updateEnv.given ? callerEnvironment() : evaluationEnv(),
                updateEnv.environment(this));
    }

    /** The environment a .config.js file is evaluated in by the daemon: ours, as pm2's CLI evaluates it (null when empty: tests). */
    private java.util.Map<String, String> evaluationEnv() {
        var env = callerEnvironment();
        return env.isEmpty() ? null : env;
    }

    /**
     * YAML files, and pm2's ecosystem files as pm2 recognises them: {@code *.json}, {@code *.json5} and
     * {@code *.config.js} / {@code .config.cjs} (a plain {@code server.js} is a script to run).
     */
    static boolean isEcosystemFile(String target) {
        String lower = target.toLowerCase(Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json") || lower.endsWith(".json5")
                || lower.endsWith(".config.js") || lower.endsWith(".config.cjs");
    }

    private boolean doubleDashGiven() {
        return spec.commandLine().getParseResult().originalArgs().contains("--");
    }

    /** How many words followed the first "--": picocli does not say which positionals came from there. */
    private int argsAfterDoubleDash() {
        List<String> original = spec.commandLine().getParseResult().originalArgs();
        int dashes = original.indexOf("--");
        return dashes < 0 ? 0 : original.size() - dashes - 1;
    }
}
