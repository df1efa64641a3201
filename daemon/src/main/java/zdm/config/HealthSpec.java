package zdm.config;

/**
 * When a worker counts as ready, and how an online one is judged alive.
 *
 * @param ready              when a spawned worker counts as ready; null: the default for the app's port and
 *                           listen mode, set by {@link AppSpec}
 * @param listenTimeoutMs    deadline for {@code ready}; a worker that misses it is a failed start
 * @param liveness           how liveness is judged: an HTTP probe every livenessIntervalMs, or sd_notify's
 *                           WATCHDOG=1 at least every livenessIntervalMs (systemd's WatchdogSec)
 * @param livenessIntervalMs how often an online worker of an app with a port is probed; 0 = never
 * @param livenessTimeoutMs  how long one liveness probe may take before it counts as a failure
 * @param livenessFailures   consecutive failed probes after which the worker is killed and replaced
 */
public record HealthSpec(Readiness ready, long listenTimeoutMs, Liveness liveness, long livenessIntervalMs,
                         long livenessTimeoutMs, int livenessFailures) {
    public static final long DEFAULT_LISTEN_TIMEOUT_MS = 30_000;
    public static final long DEFAULT_LIVENESS_TIMEOUT_MS = 2_000;
    public static final int DEFAULT_LIVENESS_FAILURES = 3;

    /** Missing values (a spec stored by an older zdm) take their defaults here. */
    public HealthSpec {
        if (listenTimeoutMs <= 0) listenTimeoutMs = DEFAULT_LISTEN_TIMEOUT_MS;
        if (liveness == null) liveness = Liveness.HTTP;
        if (livenessIntervalMs < 0) livenessIntervalMs = 0;
        if (livenessTimeoutMs <= 0) livenessTimeoutMs = DEFAULT_LIVENESS_TIMEOUT_MS;
        if (livenessFailures <= 0) livenessFailures = DEFAULT_LIVENESS_FAILURES;
    }

    /** liveness: watchdog with an interval: workers get a NOTIFY_SOCKET and WATCHDOG_USEC. */
    public boolean watchdog() {
        return liveness == Liveness.WATCHDOG && livenessIntervalMs > 0;
    }

    HealthSpec withReady(Readiness r) {
        return new HealthSpec(r, listenTimeoutMs, liveness, livenessIntervalMs, livenessTimeoutMs, livenessFailures);
    }
}
