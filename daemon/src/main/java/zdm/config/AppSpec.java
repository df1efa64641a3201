package zdm.config;

import java.util.List;
import java.util.Map;

/**
 * One app's configuration after validation: every default applied, every path absolute,
 * every duration in milliseconds. This is what the store keeps and what the supervisor runs;
 * nothing downstream ever re-validates or re-parses the YAML.
 *
 * @param name           unique app name ([A-Za-z0-9._-], not starting with a dot)
 * @param command        the argv to execute, first element the program (never run through a shell
 *                       unless {@code shell} was requested, in which case it is {@code /bin/sh -c ...})
 * @param cwd            absolute working directory
 * @param env            extra environment (on top of the daemon's own)
 * @param instances      number of workers (already resolved from "max")
 * @param port           public port, or null when the app has none
 * @param killTimeoutMs  time between the stop signal and SIGKILL
 * @param stopSignal     signal name, e.g. "SIGTERM"
 * @param autorestart    restart workers that exit without being asked to
 * @param maxRestarts    unstable restarts (exits before minUptimeMs) tolerated before the app is errored
 * @param minUptimeMs    a worker that lived shorter than this counts as an unstable restart
 * @param restartDelayMs first backoff delay; doubles on each consecutive unstable restart
 * @param restartDelayMaxMs cap of the exponential backoff
 * @param maxMemoryBytes restart a worker whose process tree exceeds this resident size; 0 = off
 * @param source         the ecosystem file this came from, or "<command line>"
 * @param ready          when a spawned worker counts as ready
 * @param listenTimeoutMs deadline for {@code ready}; a worker that misses it is a failed start
 * @param reloadParallel how many workers a rolling reload replaces at once
 * @param protocol       what the port carries: "auto" (sniff HTTP/1.x), "http" or "tcp" (proxy mode only)
 * @param logMaxBytes    an app log file rotates when a line would take it past this size; 0 = never
 * @param logMaxFiles    how many rotated files of each log file are kept
 * @param listen         who accepts on the port: "proxy" (the daemon, forwarding to each worker's private PORT)
 *                       or "socket" (every worker inherits the daemon's listening socket as fd 3)
 * @param livenessIntervalMs how often an online worker of an app with a port is probed; 0 = never
 * @param livenessTimeoutMs  how long one liveness probe may take before it counts as a failure
 * @param livenessFailures   consecutive failed probes after which the worker is killed and replaced
 * @param liveness           how liveness is judged: "http" (a probe every livenessIntervalMs) or "watchdog"
 *                           (sd_notify's WATCHDOG=1 at least every livenessIntervalMs, like systemd's WatchdogSec)
 * @param socketFd           listen: socket only: the descriptor the shared socket is handed as, 3 (systemd's
 *                           LISTEN_FDS) or 0 (stdin, like StandardInput=socket/inetd: Java's inheritedChannel)
 * @param headTimeoutMs      (proxy) how long a client may take to send a request head; then 408
 * @param keepaliveTimeoutMs (proxy) how long a keep-alive client connection may idle between requests
 * @param maxHeadBytes       (proxy) the largest request head accepted; a larger one gets 431
 * @param maxConnections     (proxy) client connections open at once; more wait in the kernel's accept queue
 * @param autostart      start the app when its file is started (pm2's autostart); false: registered, stopped
 * @param stopExitCodes  exit codes after which a worker is not restarted (pm2's stop_exit_codes)
 * @param cronRestart    a cron expression (5 or 6 fields, pm2's syntax): a zero-downtime reload at each tick; null: none
 * @param watch          absolute paths whose changes reload the app (pm2's watch); empty: no watching
 * @param ignoreWatch    patterns of paths under {@code watch} whose changes are ignored (pm2's ignore_watch)
 * @param watchDelayMs   how long changes must have stopped before the reload (pm2's watch_delay)
 * @param minReadyMs     how long a replacement (reload, memory limit) must stay up once ready before the worker it
 *                       replaces is retired (Kubernetes' minReadySeconds); null = minUptimeMs
 * @param logFiles       files the app's output is also written to (pm2's out_file, error_file, log_file); null: none
 * @param shutdownWithMessage a Node worker is asked to stop with the message 'shutdown' (pm2's
 *                       process.send('shutdown')), turned from the stop signal by zdm's preload
 * @param bodyTimeoutMs      (proxy) how long a request body may go without a byte; then 408
 * @param maxConnectionsPerAddress (proxy) client connections open at once from one IP address; 0: no limit
 */
public record AppSpec(
        String name,
        List<String> command,
        String cwd,
        Map<String, String> env,
        int instances,
        Integer port,
        long killTimeoutMs,
        String stopSignal,
        boolean autorestart,
        int maxRestarts,
        long minUptimeMs,
        long restartDelayMs,
        long restartDelayMaxMs,
        long maxMemoryBytes,
        String source,
        Readiness ready,
        long listenTimeoutMs,
        int reloadParallel,
        String protocol,
        Long logMaxBytes,
        Integer logMaxFiles,
        String listen,
        long livenessIntervalMs,
        long livenessTimeoutMs,
        int livenessFailures,
        String liveness,
        Integer socketFd,
        long headTimeoutMs,
        long keepaliveTimeoutMs,
        long maxHeadBytes,
        int maxConnections,
        Boolean autostart,
        List<Integer> stopExitCodes,
        String cronRestart,
        List<String> watch,
        List<String> ignoreWatch,
        long watchDelayMs,
        Long minReadyMs,
        LogFiles logFiles,
        boolean shutdownWithMessage,
        long bodyTimeoutMs,
        int maxConnectionsPerAddress) {

    public static final long DEFAULT_LISTEN_TIMEOUT_MS = 30_000;
    public static final long DEFAULT_LOG_MAX_BYTES = 10L << 20;
    public static final int DEFAULT_LOG_MAX_FILES = 5;
    public static final String LISTEN_PROXY = "proxy";
    public static final String LISTEN_SOCKET = "socket";
    /** Written in a file only: validation turns it into proxy or socket ({@link ListenAuto}). */
    public static final String LISTEN_AUTO = "auto";
    public static final long DEFAULT_LIVENESS_TIMEOUT_MS = 2_000;
    public static final int DEFAULT_LIVENESS_FAILURES = 3;
    public static final String LIVENESS_HTTP = "http";
    public static final String LIVENESS_WATCHDOG = "watchdog";
    /** node's headersTimeout. */
    public static final long DEFAULT_HEAD_TIMEOUT_MS = 60_000;
    /** nginx's keepalive_timeout, longer than the idle timeout of a load balancer in front (docs/configuration.md). */
    public static final long DEFAULT_KEEPALIVE_TIMEOUT_MS = 75_000;
    /** node's --max-http-header-size. */
    public static final long DEFAULT_MAX_HEAD_BYTES = 16 * 1024;
    /** Each costs the daemon at most ~20 KiB of heap (docs/configuration.md): 4096 stay under 80 MiB. */
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;
    /** nginx's client_body_timeout: the longest a request body may go without a byte. */
    public static final long DEFAULT_BODY_TIMEOUT_MS = 60_000;
    public static final long DEFAULT_WATCH_DELAY_MS = 1_000;

    /** Missing values (a spec stored by an older zdm) take their defaults here, in one place. */
    public AppSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        if (listen == null) listen = LISTEN_PROXY;
        if (ready == null) ready = Readiness.defaultFor(port, listen);
        if (listenTimeoutMs <= 0) listenTimeoutMs = DEFAULT_LISTEN_TIMEOUT_MS;
        if (reloadParallel <= 0) reloadParallel = 1;
        if (protocol == null) protocol = "auto";
        if (logMaxBytes == null || logMaxBytes < 0) logMaxBytes = DEFAULT_LOG_MAX_BYTES;
        if (logMaxFiles == null || logMaxFiles < 0) logMaxFiles = DEFAULT_LOG_MAX_FILES;
        if (livenessIntervalMs < 0) livenessIntervalMs = 0;
        if (livenessTimeoutMs <= 0) livenessTimeoutMs = DEFAULT_LIVENESS_TIMEOUT_MS;
        if (livenessFailures <= 0) livenessFailures = DEFAULT_LIVENESS_FAILURES;
        if (liveness == null) liveness = LIVENESS_HTTP;
        if (socketFd == null || socketFd != 0) socketFd = 3;
        if (headTimeoutMs <= 0) headTimeoutMs = DEFAULT_HEAD_TIMEOUT_MS;
        if (keepaliveTimeoutMs <= 0) keepaliveTimeoutMs = DEFAULT_KEEPALIVE_TIMEOUT_MS;
        if (maxHeadBytes <= 0) maxHeadBytes = DEFAULT_MAX_HEAD_BYTES;
        if (maxConnections <= 0) maxConnections = DEFAULT_MAX_CONNECTIONS;
        if (bodyTimeoutMs <= 0) bodyTimeoutMs = DEFAULT_BODY_TIMEOUT_MS;
        if (maxConnectionsPerAddress < 0) maxConnectionsPerAddress = 0;
        if (autostart == null) autostart = true;
        stopExitCodes = stopExitCodes == null ? List.of() : List.copyOf(stopExitCodes);
        watch = watch == null ? List.of() : List.copyOf(watch);
        ignoreWatch = ignoreWatch == null ? List.of() : List.copyOf(ignoreWatch);
        if (watchDelayMs <= 0) watchDelayMs = DEFAULT_WATCH_DELAY_MS;
        if (minReadyMs == null || minReadyMs < 0) minReadyMs = minUptimeMs;
    }

    /** liveness: watchdog with an interval: workers get a NOTIFY_SOCKET and WATCHDOG_USEC. */
    public boolean watchdog() {
        return LIVENESS_WATCHDOG.equals(liveness) && livenessIntervalMs > 0;
    }

    /** True when workers accept on the inherited socket themselves (no proxy hop). */
    public boolean socketMode() {
        return LISTEN_SOCKET.equals(listen);
    }

    /**
     * A Node app in socket mode without {@code port:}: the port is the one its code listens on, which zdm's preload
     * reports; the daemon binds it once and every worker inherits it (pm2's cluster mode).
     */
    public boolean learnsPort() {
        return socketMode() && port == null;
    }

    public AppSpec withInstances(int n) {
        return toBuilder().instances(n).build();
    }

    public AppSpec withEnv(Map<String, String> newEnv) {
        return toBuilder().env(newEnv).build();
    }

    /**
     * A builder with the ecosystem file's defaults, for code and tests that make a spec by hand.
     * A key added to the record is added here once, so no caller has to change.
     */
    public static AppSpecBuilder builder(String name, List<String> command) {
        return new AppSpecBuilder(name, command);
    }

    /** A builder holding every value of this spec. */
    public AppSpecBuilder toBuilder() {
        return new AppSpecBuilder(this);
    }
}
