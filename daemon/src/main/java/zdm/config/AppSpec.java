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
 * @param protocol       what the port carries: "auto" (sniff HTTP/1.x), "http" or "tcp"
 * @param livenessIntervalMs how often an online worker of an app with a port is probed; 0 = never
 * @param livenessTimeoutMs  how long one liveness probe may take before it counts as a failure
 * @param livenessFailures   consecutive failed probes after which the worker is killed and replaced
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
        long livenessIntervalMs,
        long livenessTimeoutMs,
        int livenessFailures) {

    public static final long DEFAULT_LISTEN_TIMEOUT_MS = 30_000;
    public static final long DEFAULT_LIVENESS_TIMEOUT_MS = 2_000;
    public static final int DEFAULT_LIVENESS_FAILURES = 3;

    /** Missing values (a spec stored by an older zdm) take their defaults here, in one place. */
    public AppSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        if (ready == null) ready = Readiness.defaultFor(port);
        if (listenTimeoutMs <= 0) listenTimeoutMs = DEFAULT_LISTEN_TIMEOUT_MS;
        if (reloadParallel <= 0) reloadParallel = 1;
        if (protocol == null) protocol = "auto";
        if (livenessIntervalMs < 0) livenessIntervalMs = 0;
        if (livenessTimeoutMs <= 0) livenessTimeoutMs = DEFAULT_LIVENESS_TIMEOUT_MS;
        if (livenessFailures <= 0) livenessFailures = DEFAULT_LIVENESS_FAILURES;
    }

    /** The spec without liveness settings (as an older zdm wrote it): no liveness probe. */
    public AppSpec(String name, List<String> command, String cwd, Map<String, String> env, int instances, Integer port,
                   long killTimeoutMs, String stopSignal, boolean autorestart, int maxRestarts, long minUptimeMs,
                   long restartDelayMs, long restartDelayMaxMs, long maxMemoryBytes, String source, Readiness ready,
                   long listenTimeoutMs, int reloadParallel, String protocol) {
        this(name, command, cwd, env, instances, port, killTimeoutMs, stopSignal, autorestart, maxRestarts, minUptimeMs,
                restartDelayMs, restartDelayMaxMs, maxMemoryBytes, source, ready, listenTimeoutMs, reloadParallel, protocol,
                0, 0, 0);
    }

    /** The spec as an older zdm wrote it: readiness and reload settings at their defaults. */
    public AppSpec(String name, List<String> command, String cwd, Map<String, String> env, int instances, Integer port,
                   long killTimeoutMs, String stopSignal, boolean autorestart, int maxRestarts, long minUptimeMs,
                   long restartDelayMs, long restartDelayMaxMs, long maxMemoryBytes, String source) {
        this(name, command, cwd, env, instances, port, killTimeoutMs, stopSignal, autorestart, maxRestarts, minUptimeMs,
                restartDelayMs, restartDelayMaxMs, maxMemoryBytes, source, null, 0, 0, null, 0, 0, 0);
    }

    public AppSpec withInstances(int n) {
        return new AppSpec(name, command, cwd, env, n, port, killTimeoutMs, stopSignal, autorestart,
                maxRestarts, minUptimeMs, restartDelayMs, restartDelayMaxMs, maxMemoryBytes, source,
                ready, listenTimeoutMs, reloadParallel, protocol, livenessIntervalMs, livenessTimeoutMs, livenessFailures);
    }
}
