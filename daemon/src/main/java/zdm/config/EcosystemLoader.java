package zdm.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import zdm.config.Node.Mapping;
import zdm.config.Node.Pos;
import zdm.config.Node.Sequence;

/**
 * Loads ecosystem files (and command-line apps) into validated {@link AppSpec}s, reporting every
 * problem at once with its file, line and column. Never throws for bad input. Thread-safe: it has no
 * state; each call works on its own data.
 */
public final class EcosystemLoader {

    /** Files above this size are refused before parsing: ecosystem files are small, and YAML parsing is not. */
    public static final int MAX_FILE_BYTES = 1 << 20;
    static final String COMMAND_LINE = "<command line>";
    private static final List<String> TOP_LEVEL_KEYS = List.of("apps", "metrics", "dashboard");

    private EcosystemLoader() {}

    /** The keys allowed at the top of a file ({@code apps}, {@code metrics}, {@code dashboard}); for the documented-keys check. */
    public static List<String> topLevelKeys() {
        return TOP_LEVEL_KEYS;
    }

    /** The keys an app may have, as {@link AppKey} lists them; for the documented-keys check. */
    public static List<String> appKeys() {
        return AppKey.keys();
    }

    /** Parse + validate a YAML ecosystem file (absolute path). Never throws for bad input. */
    public static LoadResult loadFile(Path file) {
        return loadFile(file, null);
    }

    /**
     * Parse + validate an ecosystem file: YAML ({@code .yaml}, {@code .yml}, or any other name), or
     * pm2's {@code .json} / {@code .js} (see {@link Pm2Compat}). {@code env} selects the
     * {@code env_<name>} blocks merged over {@code env:} (null: none). Never throws for bad input.
     */
    public static LoadResult loadFile(Path file, String env) {
        return loadFile(file, env, null);
    }

    /**
     * As {@link #loadFile(Path, String)}, with the environment a {@code .js} (or JavaScript-only {@code .json}) file
     * is evaluated in: the environment of the {@code zdm} command that asked, as pm2 evaluates it in its CLI's
     * (pm2 users read {@code process.env} there). Null: this process's own environment.
     */
    public static LoadResult loadFile(Path file, String env, Map<String, String> callerEnv) {
        Path absolute = file.toAbsolutePath().normalize();
        var problems = new Problems(displayName(absolute));
        var warnings = new ArrayList<String>();
        String lower = absolute.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        boolean js = lower.endsWith(".js") || lower.endsWith(".cjs");
        boolean json = lower.endsWith(".json") || lower.endsWith(".json5");
        boolean pm2 = js || json;
        Node root = js ? evaluated(absolute, callerEnv, problems) : parsed(absolute, json, callerEnv, problems);
        if (problems.count() > 0) return new LoadResult.Invalid(problems.inFileOrder());
        if (pm2) root = Pm2Compat.adapt(root, absolute.getParent(), problems.file(), warnings);
        MetricsSetting metrics = metrics(root, problems);
        DashboardSetting dashboard = dashboard(root, problems);
        var apps = apps(root, problems);
        var checked = new ArrayList<AppValidator.Checked>();
        var envNames = new java.util.TreeSet<String>();
        for (int i = 0; i < apps.size(); i++) {
            String prefix = "apps[" + i + "]";
            Node app = EnvBlocks.apply(apps.get(i), prefix, env, envNames, problems);
            if (pm2) app = Pm2Compat.envInName(Pm2Compat.portFromEnv(app, prefix, problems.file(), warnings), env);
            checked.add(AppValidator.validate(app, prefix, absolute.getParent(), absolute.toString(), problems));
        }
        if (env != null && !apps.isEmpty() && !envNames.contains(env)) {
            problems.add(Pos.NONE, "", "--env " + env + ": no app has env_" + env + ":"
                    + (envNames.isEmpty() ? " the file has no env_<name> blocks"
                            : " the file has " + String.join(", ", envNames.stream().map(n -> "env_" + n).toList())));
        }
        checkAcrossApps(checked, problems);
        if (problems.count() > 0) return new LoadResult.Invalid(problems.inFileOrder());
        warnings.addAll(problems.warnings());
        for (int i = 0; i < checked.size(); i++) {
            sharedPortWarning(checked.get(i).spec(), problems.file() + ": apps[" + i + "]", "port:", warnings);
        }
        return new LoadResult.Loaded(checked.stream().map(AppValidator.Checked::spec).toList(), metrics, warnings, dashboard);
    }

    /** A .js file as node's JSON of its module.exports, without positions; null after reporting why not. */
    private static Node evaluated(Path file, Map<String, String> callerEnv, Problems problems) {
        try {
            if (!Files.isRegularFile(file)) {
                problems.add(Pos.NONE, "", Files.exists(file) ? "is not a regular file" : "file not found");
                return null;
            }
            // positions in node's output mean nothing to the user
            return Pm2Compat.withoutPositions(YamlReader.read(NodeEval.json(file, callerEnv)));
        } catch (NodeEval.Failure e) {
            problems.add(Pos.NONE, "", e.getMessage());
        } catch (YamlReader.YamlException e) {
            problems.add(Pos.NONE, "", e.getMessage());
        }
        return null;
    }

    /**
     * A YAML or JSON file, with positions (JSON is YAML). pm2 evaluates a .json file as a JavaScript
     * expression, so comments, trailing commas, unquoted keys or computed values work there: such a
     * file, which YAML cannot read, is evaluated by node as pm2 does (positions are lost).
     */
    private static Node parsed(Path file, boolean json, Map<String, String> callerEnv, Problems problems) {
        byte[] bytes = read(file, problems);
        if (bytes == null) return null;
        try {
            return YamlReader.read(bytes);
        } catch (YamlReader.YamlException e) {
            if (json) {
                try {
                    return Pm2Compat.withoutPositions(YamlReader.read(NodeEval.json(file, callerEnv)));
                } catch (NodeEval.Failure | YamlReader.YamlException ignored) {
                    // the YAML error, with its position, says more than node's
                }
            }
            problems.add(e.pos, "", e.getMessage());
            return null;
        }
    }

    /** The top-level metrics: key, or null when absent (or invalid: reported). */
    private static MetricsSetting metrics(Node root, Problems problems) {
        if (!(root instanceof Mapping top) || !top.entries().containsKey("metrics")) return null;
        return MetricsSetting.read(top.entries().get("metrics").value(), new Problems.At("metrics", problems));
    }

    /** The top-level dashboard: block, or null when absent (or invalid: reported). */
    private static DashboardSetting dashboard(Node root, Problems problems) {
        if (!(root instanceof Mapping top) || !top.entries().containsKey("dashboard")) return null;
        return DashboardSetting.read(top.entries().get("dashboard").value(), new Problems.At("dashboard", problems));
    }

    /**
     * Validate one app given as a map of ecosystem keys (from {@code zdm start app.js -i 2 --name web});
     * relative paths resolve against cwd; errors use file "&lt;command line&gt;" with line 0, col 0
     * and are formatted "&lt;command line&gt;: name: ..." (no line:col).
     */
    public static LoadResult loadInline(Map<String, Object> app, Path cwd) {
        var problems = new Problems(COMMAND_LINE);
        var checked = AppValidator.validate(Node.fromJava(app), "", cwd.toAbsolutePath().normalize(),
                COMMAND_LINE, problems);
        if (problems.count() > 0) return new LoadResult.Invalid(problems.inFileOrder());
        var warnings = new ArrayList<String>(problems.warnings());
        sharedPortWarning(checked.spec(), checked.spec().name(), "--port", warnings);
        return new LoadResult.Loaded(List.of(checked.spec()), null, warnings);
    }

    /**
     * Several workers and no port: right for queue workers, but an app that listens itself (pm2's cluster
     * habit, listen(process.env.PORT || 3000)) would have every worker but the first fail to bind.
     */
    private static void sharedPortWarning(AppSpec spec, String where, String fix, List<String> warnings) {
        if (spec.instances() > 1 && spec.network().port() == null && !spec.network().learnsPort()) {
            warnings.add(where + ": " + spec.instances() + " workers and no port; if the app listens on a port, set "
                    + fix + " (zdm then shares it between the workers), or every worker but the first fails to bind it");
        }
    }

    /** The file's bytes, or null after reporting why there are none. */
    private static byte[] read(Path file, Problems problems) {
        try {
            if (Files.isDirectory(file)) {
                problems.add(Pos.NONE, "", "is a directory; expected an ecosystem YAML file");
                return null;
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                problems.add(Pos.NONE, "", tooLarge(Files.size(file)));
                return null;
            }
            byte[] bytes;
            try (var in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_FILE_BYTES + 1); // the file may have grown since size()
            }
            if (bytes.length > MAX_FILE_BYTES) {
                problems.add(Pos.NONE, "", tooLarge(bytes.length));
                return null;
            }
            return bytes;
        } catch (NoSuchFileException e) {
            problems.add(Pos.NONE, "", "file not found");
        } catch (AccessDeniedException e) {
            problems.add(Pos.NONE, "", "cannot read the file: permission denied");
        } catch (IOException e) {
            problems.add(Pos.NONE, "", "cannot read the file: " + e.getMessage());
        }
        return null;
    }

    private static String tooLarge(long bytes) {
        return "file is too large (" + bytes + " bytes); an ecosystem file may be at most 1 MiB";
    }

    /** The items of {@code apps:}, after checking the top level. */
    private static List<Node> apps(Node root, Problems problems) {
        if (root == null) {
            problems.add(new Pos(1, 1), "", "the file is empty; expected a mapping with an apps: list");
            return List.of();
        }
        if (!(root instanceof Mapping top)) {
            problems.add(root.pos(), "", "expected a mapping with an apps: list at the top level, got " + Node.describe(root));
            return List.of();
        }
        for (var entry : top.entries().values()) {
            if (!TOP_LEVEL_KEYS.contains(entry.key())) {
                problems.add(entry.keyPos(), entry.key(),
                        "unknown key" + Suggestions.didYouMean(entry.key(), TOP_LEVEL_KEYS) + " (app settings go under apps:)");
            }
        }
        var apps = top.entries().get("apps");
        if (apps == null) {
            problems.add(top.pos(), "apps", "missing; the file needs an apps: list with at least one app");
            return List.of();
        }
        if (!(apps.value() instanceof Sequence list) || list.items().isEmpty()) {
            problems.add(apps.value().pos(), "apps", "expected a non-empty list of apps, got " + Node.describe(apps.value()));
            return List.of();
        }
        return list.items();
    }

    /** Names must be unique and two apps cannot own the same port. */
    private static void checkAcrossApps(List<AppValidator.Checked> apps, Problems problems) {
        Map<String, Integer> nameOwner = new HashMap<>();
        Map<Integer, Integer> portOwner = new HashMap<>();
        for (int i = 0; i < apps.size(); i++) {
            var app = apps.get(i);
            String path = "apps[" + i + "]";
            if (app.name() != null) {
                Integer first = nameOwner.putIfAbsent(app.name(), i);
                if (first != null) {
                    problems.add(app.nameNode().pos(), path + ".name",
                            "duplicate app name " + Suggestions.quote(app.name()) + " (also apps[" + first + "])");
                }
            }
            if (app.port() != null) {
                Integer first = portOwner.putIfAbsent(app.port(), i);
                if (first != null) {
                    String firstName = apps.get(first).name();
                    problems.add(app.portNode().pos(), path + ".port", "port " + app.port() + " is already used by apps["
                            + first + "]" + (firstName != null ? " (" + firstName + ")" : ""));
                }
            }
        }
    }

    /** Relative to the working directory when the file is under it, else absolute. */
    static String displayName(Path absolute) {
        Path workingDir = Path.of("").toAbsolutePath();
        return absolute.startsWith(workingDir) && !absolute.equals(workingDir)
                ? workingDir.relativize(absolute).toString()
                : absolute.toString();
    }
}
