package zdm.config;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys an app may have in an ecosystem file: the single table of names, how each value is read,
 * and its default. Adding a key is one entry here (plus its use in {@link AppValidator} and a section
 * in docs/configuration.md). Rules that involve several keys live in {@link AppValidator}.
 */
enum AppKey {
    NAME("name", ValueReaders::appName, null),
    SCRIPT("script", ValueReaders::text, null),
    COMMAND("command", ValueReaders::textOrList, null),
    INTERPRETER("interpreter", ValueReaders::text, null),
    INTERPRETER_ARGS("interpreter_args", ValueReaders::textOrList, null),
    /** pm2's older name for interpreter_args. */
    NODE_ARGS("node_args", ValueReaders::textOrList, null),
    ARGS("args", ValueReaders::textOrList, null),
    SHELL("shell", ValueReaders::bool, false),
    CWD("cwd", ValueReaders::text, null),
    ENV("env", ValueReaders::env, Map.of()),
    INSTANCES("instances", NumberReaders::instances, 1),
    PORT("port", NumberReaders::port, null),
    KILL_TIMEOUT("kill_timeout", NumberReaders.duration(3_600_000), 5_000L),
    STOP_SIGNAL("stop_signal", ValueReaders::stopSignal, "SIGTERM"),
    AUTORESTART("autorestart", ValueReaders::bool, true),
    MAX_RESTARTS("max_restarts", NumberReaders::nonNegativeInt, 16),
    MIN_UPTIME("min_uptime", NumberReaders.duration(Long.MAX_VALUE), 1_000L),
    RESTART_DELAY("restart_delay", NumberReaders.duration(Long.MAX_VALUE), 100L),
    RESTART_DELAY_MAX("restart_delay_max", NumberReaders.duration(Long.MAX_VALUE), 15_000L),
    MAX_MEMORY_RESTART("max_memory_restart", NumberReaders::size, 0L),
    /** No fallback here: the default depends on port (see {@link Readiness#defaultFor}). */
    READY("ready", ReadinessReader::read, null),
    LISTEN_TIMEOUT("listen_timeout", NumberReaders.duration(100, 3_600_000), HealthSpec.DEFAULT_LISTEN_TIMEOUT_MS),
    RELOAD_PARALLEL("reload_parallel", NumberReaders::positiveInt, 1),
    PROTOCOL("protocol", ValueReaders::protocol, "auto"),
    LOG_MAX_SIZE("log_max_size", NumberReaders::size, LogSpec.DEFAULT_LOG_MAX_BYTES),
    LOG_MAX_FILES("log_max_files", NumberReaders::nonNegativeInt, LogSpec.DEFAULT_LOG_MAX_FILES),
    LISTEN("listen", ValueReaders::listen, Listen.AUTO.key()),
    /** 0: no liveness probe (the default). Rules with port and protocol in {@link AppValidator}. */
    LIVENESS_INTERVAL("liveness_interval", NumberReaders.duration(3_600_000), 0L),
    LIVENESS_TIMEOUT("liveness_timeout", NumberReaders.duration(100, 60_000), HealthSpec.DEFAULT_LIVENESS_TIMEOUT_MS),
    LIVENESS_FAILURES("liveness_failures", NumberReaders::positiveInt, HealthSpec.DEFAULT_LIVENESS_FAILURES),
    LIVENESS("liveness", ValueReaders::liveness, Liveness.HTTP.key()),
    SOCKET_FD("socket_fd", NumberReaders::socketFd, 3),
    /** The proxy's limits facing clients; rules (port, listen: proxy) in {@link AppValidator}. */
    HEAD_TIMEOUT("head_timeout", NumberReaders.duration(100, 3_600_000), NetworkSpec.DEFAULT_HEAD_TIMEOUT_MS),
    KEEPALIVE_TIMEOUT("keepalive_timeout", NumberReaders.duration(100, 3_600_000), NetworkSpec.DEFAULT_KEEPALIVE_TIMEOUT_MS),
    MAX_HEAD_SIZE("max_head_size", NumberReaders::size, NetworkSpec.DEFAULT_MAX_HEAD_BYTES),
    MAX_CONNECTIONS("max_connections", NumberReaders::positiveInt, NetworkSpec.DEFAULT_MAX_CONNECTIONS),
    BODY_TIMEOUT("body_timeout", NumberReaders.duration(100, 3_600_000), NetworkSpec.DEFAULT_BODY_TIMEOUT_MS),
    /** 0: no limit per address (the default). */
    MAX_CONNECTIONS_PER_ADDRESS("max_connections_per_address", NumberReaders::nonNegativeInt, 0),
    SEND_TIMEOUT("send_timeout", NumberReaders.duration(100, 3_600_000), NetworkSpec.DEFAULT_SEND_TIMEOUT_MS),
    AUTOSTART("autostart", ValueReaders::bool, true),
    STOP_EXIT_CODES("stop_exit_codes", TriggerReaders::exitCodes, List.of()),
    /** Kept as the text; null: none (also pm2's 0). */
    CRON_RESTART("cron_restart", TriggerReaders::cron, null),
    /** Paths as written (true: the app's cwd); resolved against cwd in {@link AppValidator}. */
    WATCH("watch", TriggerReaders::watch, List.of()),
    IGNORE_WATCH("ignore_watch", TriggerReaders::patterns, null),
    WATCH_DELAY("watch_delay", NumberReaders.duration(3_600_000), ReloadSpec.DEFAULT_WATCH_DELAY_MS),
    /** No fallback here: the default is min_uptime's value (see {@link AppSpec}). */
    MIN_READY_TIME("min_ready_time", NumberReaders.duration(3_600_000), null),
    /** pm2's log files, besides zdm's own (see {@link LogFileRules}). */
    OUT_FILE("out_file", ValueReaders::text, null),
    ERROR_FILE("error_file", ValueReaders::text, null),
    LOG_FILE("log_file", LogFileRules::pathOrTrue, null),
    MERGE_LOGS("merge_logs", ValueReaders::bool, true),
    LOG_DATE_FORMAT("log_date_format", ValueReaders::text, null),
    TIME("time", ValueReaders::bool, false),
    /** pm2's log_type: json writes each line of the files above as a JSON object (see {@link LogFileRules}). */
    LOG_TYPE("log_type", LogFileRules::logType, LogFileRules.TEXT),
    /** pm2's disable_logs: no log file at all, zdm's own included (the lines are still seen live). */
    DISABLE_LOGS("disable_logs", ValueReaders::bool, false),
    /** pm2's process.send('ready'): the same as ready: message (rules in {@link AppValidator}). */
    WAIT_READY("wait_ready", ValueReaders::bool, false),
    /** pm2's process.send('shutdown') instead of the stop signal, for Node apps (through zdm's preload). */
    SHUTDOWN_WITH_MESSAGE("shutdown_with_message", ValueReaders::bool, false),
    /** pm2's instance_var: the variable that holds the worker's index (rules in {@link WorkerVarRules}). */
    INSTANCE_VAR("instance_var", ValueReaders::workerVarName, ProcessSpec.DEFAULT_INSTANCE_VAR),
    /** pm2's increment_var: a variable each worker gets plus its index; null: none. */
    INCREMENT_VAR("increment_var", ValueReaders::workerVarName, null);

    /** Reads and checks one value; returns null after reporting a problem. */
    @FunctionalInterface
    interface Reader {
        Object read(Node value, Problems.At at);
    }

    /** pm2 options zdm does not have (yet), so that "unknown key" can say so instead of guessing. */
    static final Map<String, String> PM2_ONLY = Map.ofEntries(
            Map.entry("exec_mode", "every worker is its own process (like pm2's cluster mode, for any language); remove it"),
            Map.entry("exp_backoff_restart_delay", "zdm always backs off exponentially; use restart_delay and restart_delay_max"));

    final String key;
    final Reader reader;
    final Object fallback;

    AppKey(String key, Reader reader, Object fallback) {
        this.key = key;
        this.reader = reader;
        this.fallback = fallback;
    }

    static Optional<AppKey> byKey(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }

    static List<String> keys() {
        return Arrays.stream(values()).map(k -> k.key).toList();
    }
}
