package zdm.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import zdm.config.Node.Pos;

/**
 * Loads ecosystem files (and command-line apps) into validated {@link AppSpec}s, reporting every
 * problem at once with its file, line and column. Never throws for bad input. Thread-safe: it has no
 * state; each call works on its own data. The steps, in order: {@link EcosystemFile} reads the file into
 * a tree, {@link Pm2Compat} translates pm2's files, {@link TopLevel} checks the top level,
 * {@link EnvBlocks} merges {@code env_<name>}, {@link AppValidator} checks each app, and this class
 * checks across the apps.
 */
public final class EcosystemLoader {

    /** Files above this size are refused before parsing: ecosystem files are small, and YAML parsing is not. */
    public static final int MAX_FILE_BYTES = 1 << 20;
    static final String COMMAND_LINE = "<command line>";

    private EcosystemLoader() {}

    /** The keys allowed at the top of a file ({@code apps}, {@code metrics}, {@code dashboard}); for the documented-keys check. */
    public static List<String> topLevelKeys() {
        return TopLevel.KEYS;
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
        Node root = js ? EcosystemFile.evaluated(absolute, callerEnv, problems)
                : EcosystemFile.parsed(absolute, json, callerEnv, problems);
        if (problems.count() > 0) return new LoadResult.Invalid(problems.inFileOrder());
        if (pm2) root = Pm2Compat.adapt(root, absolute.getParent(), problems.file(), warnings);
        MetricsSetting metrics = TopLevel.metrics(root, problems);
        DashboardSetting dashboard = TopLevel.dashboard(root, problems);
        var apps = TopLevel.apps(root, problems);
        var checked = new ArrayList<AppValidator.Checked>();
        var envNames = new java.util.TreeSet<String>();
        for (int i = 0; i < apps.size(); i++) {
            String prefix = "apps[" + i + "]";
            Node app = EnvBlocks.apply(apps.get(i), prefix, env, envNames, problems);
            if (pm2) app = Pm2EnvHabits.envInName(Pm2EnvHabits.portFromEnv(app, prefix, problems.file(), warnings), env);
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
