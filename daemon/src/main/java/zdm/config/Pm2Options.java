package zdm.config;

import java.util.Map;

/**
 * pm2's app options (its lib/API/schema.json) that are not zdm keys under the same name, with what zdm
 * does with each. The options that are zdm keys as they are (name, script, args, env, instances, ...)
 * are not listed. Keep in sync with the table in docs/configuration.md.
 */
final class Pm2Options {

    /** pm2's other spellings of an option (schema.json's "alias"), read as the option itself, silently. */
    static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("exec", "script"),
            Map.entry("interpreterArgs", "interpreter_args"),
            Map.entry("out", "out_file"),
            Map.entry("output", "out_file"),
            Map.entry("out_log", "out_file"),
            Map.entry("error", "error_file"),
            Map.entry("err", "error_file"),
            Map.entry("err_file", "error_file"),
            Map.entry("err_log", "error_file"),
            Map.entry("log", "log_file"),
            Map.entry("pid", "pid_file"),
            Map.entry("cron", "cron_restart"),
            Map.entry("combine_logs", "merge_logs"),
            Map.entry("user", "uid"));

    /** pm2 options with another zdm name: read as that key, with a warning naming it. */
    static final Map<String, String> RENAMED = Map.of(
            "exec_interpreter", "interpreter",
            "exp_backoff_restart_delay", "restart_delay");

    /** pm2 options zdm does not have: dropped, with why (and what zdm does instead). */
    static final Map<String, String> IGNORED = Map.ofEntries(
            Map.entry("exec_mode", "every zdm worker is its own process, like pm2's cluster mode"),
            Map.entry("watch_options", "zdm's watcher has no chokidar options (see watch, ignore_watch, watch_delay)"),
            Map.entry("pid_file", "pids are in zdm ls and zdm.db"),
            Map.entry("kill_retry_time", "zdm sends SIGKILL once, after kill_timeout"),
            Map.entry("source_map_support", "zdm does not wrap the app; node_args: --enable-source-maps gives node's own"),
            Map.entry("disable_source_map_support", "not needed: zdm adds no source map support"),
            Map.entry("treekill", "zdm always stops the whole process tree"),
            Map.entry("vizion", "zdm reads no git metadata of the app"),
            Map.entry("force", "not needed: zdm updates an app of the same name"),
            Map.entry("namespace", "zdm has no namespaces: commands take app names or all"),
            Map.entry("name_prefix", "pm2 sets it for its own modules; zdm has no modules"),
            Map.entry("install_url", "pm2 sets it for its own modules; zdm has no modules"),
            Map.entry("filter_env", "a file's apps get the daemon's environment plus env:, the caller's only with --update-env"),
            Map.entry("post_update", "zdm does not pull or upgrade code (pm2's pull, deploy)"),
            Map.entry("execute_command", "not needed: script: names a program or a file"),
            Map.entry("trace", "zdm has no APM agent (metrics: gives Prometheus metrics)"),
            Map.entry("disable_trace", "zdm has no APM agent"),
            Map.entry("v8", "zdm has no APM agent"),
            Map.entry("event_loop_inspector", "zdm has no APM agent"),
            Map.entry("deep_monitoring", "zdm has no APM agent"),
            Map.entry("pmx", "zdm has no APM agent"),
            Map.entry("automation", "zdm has no APM agent"),
            Map.entry("io", "zdm has no APM agent"),
            Map.entry("username", "zdm has no keymetrics account"),
            Map.entry("windowsHide", "zdm runs on Linux"),
            Map.entry("write", "not read by pm2 7 itself either"),
            Map.entry("uid", "workers run as the daemon's user"),
            Map.entry("gid", "workers run as the daemon's user"));

    private Pm2Options() {}
}
