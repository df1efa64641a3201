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
 * Turns a pm2 ecosystem file ({@code ecosystem.config.js} or {@code .json}, already parsed into a
 * tree) into zdm's form before the normal validation: pm2 options zdm does not have are dropped with
 * one warning each, a few are translated, and everything else is validated like a YAML file (so a
 * typo is still an error). Stateless.
 */
final class Pm2Compat {

    /** pm2 app options zdm does not have: dropped, with why. */
    static final Map<String, String> IGNORED = Map.ofEntries(
            Map.entry("exec_mode", "every zdm worker is its own process, like pm2's cluster mode"),
            Map.entry("watch", "file watching is not supported"),
            Map.entry("ignore_watch", "file watching is not supported"),
            Map.entry("watch_options", "file watching is not supported"),
            Map.entry("watch_delay", "file watching is not supported"),
            Map.entry("cron_restart", "scheduled restarts are not supported"),
            Map.entry("out_file", "logs go to $ZDM_HOME/logs/<app>.out.log"),
            Map.entry("error_file", "logs go to $ZDM_HOME/logs/<app>.err.log"),
            Map.entry("log_file", "logs go to $ZDM_HOME/logs/"),
            Map.entry("merge_logs", "zdm merges the workers' logs per app"),
            Map.entry("combine_logs", "zdm merges the workers' logs per app"),
            Map.entry("log_date_format", "zdm timestamps every line in ISO 8601"),
            Map.entry("log_type", "zdm writes plain text logs"),
            Map.entry("disable_logs", "zdm always keeps logs"),
            Map.entry("time", "zdm timestamps every line"),
            Map.entry("pid_file", "pids are in zdm ls and zdm.db"),
            Map.entry("wait_ready", "there is no ready message; use ready: (tcp, {http: /path}, {log: regex} or {delay: 2s})"),
            Map.entry("shutdown_with_message", "zdm stops workers with stop_signal"),
            Map.entry("kill_retry_time", "zdm sends SIGKILL once, after kill_timeout"),
            Map.entry("stop_exit_codes", "every exit not asked for is restarted (see autorestart)"),
            Map.entry("increment_var", "not supported"),
            Map.entry("instance_var", "zdm sets ZDM_WORKER_ID and NODE_APP_INSTANCE"),
            Map.entry("source_map_support", "not supported"),
            Map.entry("treekill", "zdm always stops the whole process tree"),
            Map.entry("vizion", "not supported"),
            Map.entry("force", "not supported"),
            Map.entry("namespace", "not supported"),
            Map.entry("autostart", "every app of the file is started"),
            Map.entry("filter_env", "workers get the daemon's environment plus env:"),
            Map.entry("append_env_to_name", "not supported"),
            Map.entry("appendEnvToName", "not supported"),
            Map.entry("post_update", "not supported"),
            Map.entry("uid", "workers run as the daemon's user"),
            Map.entry("gid", "workers run as the daemon's user"),
            Map.entry("user", "workers run as the daemon's user"));

    /** pm2's other names for zdm keys. */
    static final Map<String, String> RENAMED = Map.of(
            "exec_interpreter", "interpreter",
            "exp_backoff_restart_delay", "restart_delay");

    private Pm2Compat() {}

    /** The adapted root; warnings are appended to {@code warnings} as "file: path: message" lines. */
    static Node adapt(Node root, Path baseDir, String file, List<String> warnings) {
        if (root instanceof Sequence apps) { // pm2 also reads a bare list of apps
            root = new Mapping(Map.of("apps", new Entry("apps", apps.pos(), apps)), apps.pos());
        }
        if (!(root instanceof Mapping top)) return root;
        var entries = new LinkedHashMap<String, Entry>();
        for (var e : top.entries().values()) {
            if (e.key().equals("deploy")) {
                warnings.add(file + ": deploy: ignored; zdm does not deploy code (see docs/migrating-from-pm2.md)");
            } else if (e.key().equals("apps") && e.value() instanceof Sequence list) {
                var items = new ArrayList<Node>();
                for (int i = 0; i < list.items().size(); i++) {
                    items.add(app(list.items().get(i), "apps[" + i + "]", baseDir, file, warnings));
                }
                entries.put("apps", new Entry("apps", e.keyPos(), new Sequence(items, list.pos())));
            } else {
                entries.put(e.key(), e);
            }
        }
        return new Mapping(entries, top.pos());
    }

    private static Node app(Node node, String prefix, Path baseDir, String file, List<String> warnings) {
        if (!(node instanceof Mapping app)) return node;
        var out = new LinkedHashMap<String, Entry>();
        for (var e : app.entries().values()) {
            String why = IGNORED.get(e.key());
            String renamed = RENAMED.get(e.key());
            if (why != null) {
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
        scriptOnPath(out, baseDir, prefix, file, warnings);
        return new Mapping(out, app.pos());
    }

    /**
     * pm2 runs {@code script: npm} (a program on PATH, not a file) with its args; zdm's script: must be
     * a file, so such a script becomes command:.
     */
    private static void scriptOnPath(Map<String, Entry> app, Path baseDir, String prefix, String file, List<String> warnings) {
        var script = app.get("script");
        if (script == null || app.containsKey("command") || app.containsKey("interpreter")) return;
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
            else rebuilt.put(e.key(), e);
        }
        app.clear();
        app.putAll(rebuilt);
    }

    /** For a tree read from node's output: its positions mean nothing to the user, so drop them. */
    static Node withoutPositions(Node node) {
        return switch (node) {
            case null -> null;
            case Scalar s -> new Scalar(s.value(), s.text(), Pos.NONE);
            case Sequence q -> new Sequence(q.items().stream().map(Pm2Compat::withoutPositions).toList(), Pos.NONE);
            case Mapping m -> {
                var entries = new LinkedHashMap<String, Entry>();
                m.entries().forEach((k, e) -> entries.put(k, new Entry(k, Pos.NONE, withoutPositions(e.value()))));
                yield new Mapping(entries, Pos.NONE);
            }
        };
    }
}
