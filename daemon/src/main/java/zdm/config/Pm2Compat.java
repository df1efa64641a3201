package zdm.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import zdm.config.Node.Entry;
import zdm.config.Node.Mapping;
import zdm.config.Node.Pos;
import zdm.config.Node.Scalar;
import zdm.config.Node.Sequence;

/**
 * Turns a pm2 ecosystem file ({@code ecosystem.config.js}, {@code .json} or {@code .json5}, already
 * parsed into a tree) into zdm's form before the normal validation: every shape pm2 reads becomes
 * {@code apps:}, pm2's aliases become the option's name, options zdm does not have are dropped with
 * one warning each, a few are translated (see {@link Pm2Options}), and everything else is validated
 * like a YAML file (so a typo is still an error). What depends on {@code --env} comes later, per app
 * ({@link Pm2EnvHabits}). Stateless.
 */
final class Pm2Compat {

    private Pm2Compat() {}

    /** The adapted root; warnings are appended to {@code warnings} as "file: path: message" lines. */
    static Node adapt(Node root, Path baseDir, String file, List<String> warnings) {
        if (root instanceof Sequence apps) { // pm2 also reads a bare list of apps
            root = new Mapping(Map.of("apps", new Entry("apps", apps.pos(), apps)), apps.pos());
        }
        if (!(root instanceof Mapping top)) return root;
        // As pm2: the apps are under apps:, else under pm2:, else the file is one app.
        var appsEntry = top.entries().containsKey("apps") ? top.entries().get("apps") : top.entries().get("pm2");
        if (appsEntry == null) {
            var single = new LinkedHashMap<>(top.entries());
            var metrics = single.remove("metrics");
            var entries = new LinkedHashMap<String, Entry>();
            if (metrics != null) entries.put("metrics", metrics);
            entries.put("apps", new Entry("apps", top.pos(), new Sequence(List.of(
                    app(new Mapping(single, top.pos()), "apps[0]", baseDir, file, warnings)), top.pos())));
            return new Mapping(entries, top.pos());
        }
        var entries = new LinkedHashMap<String, Entry>();
        for (var e : top.entries().values()) {
            if (e == appsEntry) {
                entries.put("apps", new Entry("apps", e.keyPos(), apps(e.value(), baseDir, file, warnings)));
            } else if (e.key().equals("deploy")) {
                warnings.add(file + ": deploy: ignored; zdm does not deploy code (see docs/migrating-from-pm2.md)");
            } else if (e.key().equals("metrics")) {
                entries.put(e.key(), e);
            } else {
                warnings.add(file + ": " + e.key() + ": ignored; pm2 reads only apps (or pm2) and deploy at the top level");
            }
        }
        return new Mapping(entries, top.pos());
    }

    /** pm2 takes {@code apps:} as a list, or as one app. */
    private static Node apps(Node value, Path baseDir, String file, List<String> warnings) {
        if (value instanceof Mapping one) {
            return new Sequence(List.of(app(one, "apps[0]", baseDir, file, warnings)), one.pos());
        }
        if (!(value instanceof Sequence list)) return value;
        var items = new ArrayList<Node>();
        for (int i = 0; i < list.items().size(); i++) {
            items.add(app(list.items().get(i), "apps[" + i + "]", baseDir, file, warnings));
        }
        return new Sequence(items, list.pos());
    }

    private static Node app(Node node, String prefix, Path baseDir, String file, List<String> warnings) {
        if (!(node instanceof Mapping app)) return node;
        var out = new LinkedHashMap<String, Entry>();
        var given = unaliased(app, prefix, file, warnings);
        for (var e : given.values()) {
            String why = Pm2Options.IGNORED.get(e.key());
            String renamed = Pm2Options.RENAMED.get(e.key());
            if (e.key().equals("exec_mode") && clusterMode(e) && !given.containsKey("listen")) {
                warnings.add(file + ": " + prefix + ".exec_mode: read as listen: auto (" + CLUSTER_AS_AUTO + ")");
                out.put("listen", new Entry("listen", e.keyPos(), new Scalar(Listen.AUTO.key(), Listen.AUTO.key(), e.value().pos())));
            } else if (e.key().equals("log_type") && !(e.value() instanceof Scalar t
                    && (LogFileRules.JSON.equals(t.value()) || LogFileRules.TEXT.equals(t.value())))) {
                warnings.add(file + ": " + prefix + ".log_type: read as text (pm2 writes text for anything but json)");
            } else if (why != null) {
                warnings.add(file + ": " + prefix + "." + e.key() + ": ignored; " + why);
            } else if (renamed != null && !app.entries().containsKey(renamed)) {
                warnings.add(file + ": " + prefix + "." + e.key() + ": read as " + renamed);
                out.put(renamed, new Entry(renamed, e.keyPos(), e.value()));
            } else if (renamed != null) {
                warnings.add(file + ": " + prefix + "." + e.key() + ": ignored; " + renamed + " is set");
            } else if (e.key().equals("instances") && e.value() instanceof Scalar s && s.value() instanceof Number n
                    && n.longValue() == 0) {
                out.put("instances", new Entry("instances", e.keyPos(), new Scalar("max", "max", s.pos()))); // pm2: 0 = max
            } else {
                out.put(e.key(), e);
            }
        }
        if (!given.containsKey("merge_logs") && perWorkerLogs(given)) {
            out.put("merge_logs", new Entry("merge_logs", app.pos(), new Scalar(false, "false", app.pos())));
        }
        nameFromScript(out, app.pos());
        scriptOnPath(out, baseDir, prefix, file, warnings);
        return new Mapping(out, app.pos());
    }

    /**
     * pm2 writes a log file per process (its id before {@code .log}) in cluster mode or when instances is given,
     * unless merge_logs; zdm's default is one file for the app.
     */
    private static boolean perWorkerLogs(Map<String, Entry> app) {
        return app.get("exec_mode") instanceof Entry mode && clusterMode(mode) || app.containsKey("instances");
    }

    static final String CLUSTER_AS_AUTO = "a Node app's workers share the port's socket, as in pm2's cluster mode;"
            + " any other program gets the daemon's proxy";

    /** pm2's exec_mode: cluster (also written cluster_mode). */
    private static boolean clusterMode(Entry execMode) {
        return execMode.value() instanceof Scalar s && s.value() instanceof String text && text.startsWith("cluster");
    }

    /** The app's entries with pm2's aliases (err_file, output, ...) under the option's own name. */
    private static Map<String, Entry> unaliased(Mapping app, String prefix, String file, List<String> warnings) {
        var out = new LinkedHashMap<String, Entry>();
        for (var e : app.entries().values()) {
            String canonical = Pm2Options.ALIASES.get(e.key());
            if (canonical == null) {
                out.putIfAbsent(e.key(), e);
            } else if (app.entries().containsKey(canonical) || out.containsKey(canonical)) {
                warnings.add(file + ": " + prefix + "." + e.key() + ": ignored; " + canonical + " is set");
            } else {
                out.put(canonical, new Entry(canonical, e.keyPos(), e.value()));
            }
        }
        return out;
    }

    /** pm2 names an app without name: after its script ({@code ./api/server.js} is "server"). */
    private static void nameFromScript(Map<String, Entry> app, Pos appPos) {
        if (app.containsKey("name") || !(app.get("script") instanceof Entry script)
                || !(script.value() instanceof Scalar s) || !(s.value() instanceof String text)) {
            return;
        }
        var fileName = Path.of(text).normalize().getFileName();
        if (fileName == null || fileName.toString().isEmpty() || fileName.toString().equals("..")) return;
        String base = fileName.toString();
        int dot = base.lastIndexOf('.');
        String name = dot > 0 ? base.substring(0, dot) : base;
        var rebuilt = new LinkedHashMap<String, Entry>();
        rebuilt.put("name", new Entry("name", appPos, new Scalar(name, name, script.value().pos())));
        rebuilt.putAll(app);
        app.clear();
        app.putAll(rebuilt);
    }

    /**
     * pm2 runs {@code script: npm} (a program on PATH, not a file) with its args; zdm's script: must be
     * a file, so such a script becomes command:.
     */
    private static void scriptOnPath(Map<String, Entry> app, Path baseDir, String prefix, String file, List<String> warnings) {
        var script = app.get("script");
        var interpreter = app.get("interpreter");
        boolean none = interpreter != null && interpreter.value() instanceof Scalar i && "none".equals(i.value());
        if (script == null || app.containsKey("command") || (interpreter != null && !none)) return;
        if (!(script.value() instanceof Scalar s) || !(s.value() instanceof String program)) return;
        if (program.isEmpty() || program.contains("/")) return;
        Path dir = baseDir;
        if (app.get("cwd") != null && app.get("cwd").value() instanceof Scalar c && c.value() instanceof String cwd) {
            dir = baseDir.resolve(cwd);
        }
        if (Files.exists(dir.resolve(program))) return;
        warnings.add(file + ": " + prefix + ".script: " + Suggestions.quote(program)
                + " is not a file in the app's cwd; run as command: " + program);
        var rebuilt = new LinkedHashMap<String, Entry>();
        for (var e : app.values()) {
            if (e == script) rebuilt.put("command", new Entry("command", e.keyPos(), e.value()));
            else if (e != interpreter) rebuilt.put(e.key(), e); // interpreter: none, said by command: already
        }
        app.clear();
        app.putAll(rebuilt);
    }
}
