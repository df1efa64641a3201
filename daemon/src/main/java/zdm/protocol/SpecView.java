package zdm.protocol;

import java.util.List;
import java.util.Map;

/**
 * An app's resolved configuration as {@code zdm describe} shows it: plain values, no config types, so the
 * CLI reads it without loading the daemon's config classes. The daemon fills it from its spec
 * ({@code zdm.supervisor.SpecViews}); durations are milliseconds, sizes bytes.
 *
 * @param port        public port, or null when the app has none
 * @param listen      who accepts on the port: "proxy" (the daemon) or "socket" (the workers, on the inherited socket)
 * @param stopSignal  signal name, e.g. "SIGTERM"
 * @param cronNextMs  when {@code cronRestart} next reloads the app (epoch ms), or null
 * @param env         the app's extra environment, secret-looking values masked unless asked for
 * @param envMasked   some value of {@code env} is masked
 * @param logFiles    pm2's log file options, or null when the app has none
 * @param logMaxBytes an app log file rotates past this size; 0 = never
 */
public record SpecView(String source, List<String> command, String cwd, int instances, Integer port, String listen,
                       String stopSignal, boolean shutdownWithMessage, long killTimeoutMs, long listenTimeoutMs,
                       boolean autorestart, long restartDelayMs, long restartDelayMaxMs, int maxRestarts,
                       long minUptimeMs, long minReadyMs, List<Integer> stopExitCodes, long maxMemoryBytes,
                       boolean autostart, String cronRestart, Long cronNextMs, List<String> watch,
                       List<String> ignoreWatch, long watchDelayMs, Map<String, String> env, boolean envMasked,
                       LogFilesView logFiles, long logMaxBytes, int logMaxFiles) {
    public SpecView {
        command = List.copyOf(command);
        stopExitCodes = stopExitCodes == null ? List.of() : List.copyOf(stopExitCodes);
        watch = watch == null ? List.of() : List.copyOf(watch);
        ignoreWatch = ignoreWatch == null ? List.of() : List.copyOf(ignoreWatch);
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    /** The workers accept on the inherited socket themselves (no proxy hop). */
    public boolean socketMode() {
        return "socket".equals(listen);
    }

    /**
     * The files the app's output is also written to (pm2's out_file, error_file, log_file).
     *
     * @param combined   both streams' file; {@code ""} for {@code $ZDM_HOME/logs/<app>.log}
     * @param merge      one file for all workers; false: one per worker, {@code -<id>} before {@code .log}
     * @param dateFormat the format that starts each line, or null
     */
    public record LogFilesView(String out, String err, String combined, boolean merge, String dateFormat) {}
}
