package zdm.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options of {@code zdm start <script>}, which become an app definition with the ecosystem
 * file's keys. They mean nothing for an ecosystem file or a registered app, where they are refused.
 */
public final class InlineAppOptions {
    static final int MAX_INSTANCES = 1024;

    @Option(names = "--name", paramLabel = "<name>", description = "App name (default: the script's file name without extension).")
    String name;

    @Option(names = {"-i", "--instances"}, paramLabel = "<n|max>", converter = InstancesConverter.class,
            description = "Number of workers, or 'max' for one per CPU (default 1).")
    Object instances;

    @Option(names = "--port", paramLabel = "<port>", description = "Public port the workers share.")
    Integer port;

    @Option(names = "--listen", paramLabel = "<proxy|socket|auto>",
            description = "Who accepts on --port: the daemon's proxy or the workers, on an inherited fd 3;"
                    + " auto (default): the workers for a Node app, else the proxy.")
    String listen;

    @Option(names = "--interpreter", paramLabel = "<program>", description = "Run the script with this program (e.g. node, python3).")
    String interpreter;

    /**
     * Two meanings, as in pm2: for a script, KEY=VALUE variables; for an ecosystem file, the name of the
     * apps' env_NAME blocks. Parsed as words so that picocli does not refuse a name without '='.
     */
    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE|NAME",
            description = "For a script: extra environment variable KEY=VALUE (repeatable)."
                    + " For an ecosystem file: use the apps' env_NAME blocks, merged over env.")
    List<String> envWords = new java.util.ArrayList<>();

    /** The KEY=VALUE words as a map (a word without '=' is refused by {@link #problem()} for a script). */
    Map<String, String> env() {
        var env = new LinkedHashMap<String, String>();
        for (var w : envWords) {
            int eq = w.indexOf('=');
            if (eq > 0) env.put(w.substring(0, eq), w.substring(eq + 1));
        }
        return env;
    }

    boolean anyGiven() {
        return name != null || instances != null || port != null || listen != null || interpreter != null || !envWords.isEmpty();
    }

    /** Any script option other than --env. */
    boolean anyScriptOnlyGiven() {
        return name != null || instances != null || port != null || listen != null || interpreter != null;
    }

    /** For an ecosystem file: the one env block name, or null; a usage problem is thrown by the caller. */
    String envBlockProblem() {
        if (envWords.size() > 1) return "--env takes one environment name for an ecosystem file, got " + envWords.size();
        if (envWords.size() == 1 && !envWords.getFirst().matches("[A-Za-z0-9_-]{1,64}")) {
            return "--env " + envWords.getFirst() + ": for an ecosystem file, give the name of an env_<name> block"
                    + " (letters, digits, '_', '-'), e.g. --env production";
        }
        return null;
    }

    /** Variables zdm sets for each worker: never taken from the caller. */
    private static final java.util.Set<String> SET_BY_ZDM = java.util.Set.of("ZDM_APP", "ZDM_WORKER_ID", "NODE_APP_INSTANCE");

    /**
     * The inline app definition for the daemon, with ecosystem keys; only given options are set. As in
     * pm2, the app gets the caller's environment ({@code FOO=bar zdm start app.js}), with --env on top;
     * PORT only when zdm does not set it (no --port).
     */
    Map<String, Object> toApp(Path script, Path cwd, List<String> args, Map<String, String> callerEnv) {
        var app = new LinkedHashMap<String, Object>();
        app.put("name", name != null ? name : defaultName(script));
        app.put("script", script.toString());
        if (!args.isEmpty()) app.put("args", List.copyOf(args));
        return withOptions(app, cwd, callerEnv);
    }

    /**
     * pm2's {@code start npm -- start}: a program on the PATH (run from there by the daemon, with the caller's PATH),
     * its arguments after {@code --}; named after the program unless --name says otherwise.
     */
    Map<String, Object> toProgramApp(String program, Path cwd, List<String> args, Map<String, String> callerEnv) {
        var app = new LinkedHashMap<String, Object>();
        app.put("name", name != null ? name : program);
        var command = new java.util.ArrayList<String>();
        command.add(program);
        command.addAll(args);
        app.put("command", command);
        return withOptions(app, cwd, callerEnv);
    }

    private Map<String, Object> withOptions(Map<String, Object> app, Path cwd, Map<String, String> callerEnv) {
        if (instances != null) app.put("instances", instances);
        if (port != null) app.put("port", port);
        if (listen != null) app.put("listen", listen);
        if (interpreter != null) app.put("interpreter", interpreter);
        var env = new java.util.TreeMap<String, String>();
        callerEnv.forEach((k, v) -> {
            if (k.matches("[A-Za-z_][A-Za-z0-9_]*") && !SET_BY_ZDM.contains(k) && !(port != null && k.equals("PORT"))) {
                env.put(k, v);
            }
        });
        env.putAll(env());
        if (!env.isEmpty()) app.put("env", env);
        app.put("cwd", cwd.toString());
        return app;
    }

    /** "server.js" gives "server", "my.app.py" gives "my.app", "run" stays "run". */
    static String defaultName(Path script) {
        String file = script.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    /** Validation after parsing, so that every mistake is a usage error before the daemon is involved. */
    String problem() {
        if (port != null && (port < 1 || port > 65535)) return "--port must be between 1 and 65535, got " + port;
        return null;
    }

    /** For a script: every --env word is KEY=VALUE. */
    String scriptEnvProblem() {
        for (var w : envWords) {
            if (w.indexOf('=') <= 0) return "--env " + w + ": for a script, give KEY=VALUE (env_<name> blocks are for ecosystem files)";
        }
        return null;
    }

    /** Accepts "max" or a whole number from 1 to 1024; yields "max" or an Integer. */
    static final class InstancesConverter implements ITypeConverter<Object> {
        @Override
        public Object convert(String value) {
            if (value.equalsIgnoreCase("max")) return "max";
            try {
                int n = Integer.parseInt(value);
                if (n >= 1 && n <= MAX_INSTANCES) return n;
            } catch (NumberFormatException ignored) {
                // reported below with the accepted forms
            }
            throw new TypeConversionException("'" + value + "' is not a number from 1 to " + MAX_INSTANCES + " or 'max'");
        }
    }
}
