package zdm.config;

import java.util.List;

/**
 * How a rolling reload replaces workers, and what starts one besides the user (cron, file changes).
 *
 * @param reloadParallel how many workers a rolling reload replaces at once
 * @param minReadyMs     how long a replacement (reload, memory limit) must stay up once ready before the worker it
 *                       replaces is retired (Kubernetes' minReadySeconds); null: min_uptime, set by {@link AppSpec}
 * @param cronRestart    a cron expression (5 or 6 fields, pm2's syntax): a zero-downtime reload at each tick; null: none
 * @param watch          absolute paths whose changes reload the app (pm2's watch); empty: no watching
 * @param ignoreWatch    patterns of paths under {@code watch} whose changes are ignored (pm2's ignore_watch)
 * @param watchDelayMs   how long changes must have stopped before the reload (pm2's watch_delay)
 */
public record ReloadSpec(int reloadParallel, Long minReadyMs, String cronRestart, List<String> watch,
                         List<String> ignoreWatch, long watchDelayMs) {
    public static final long DEFAULT_WATCH_DELAY_MS = 1_000;

    /** Missing values (a spec stored by an older zdm) take their defaults here. */
    public ReloadSpec {
        if (reloadParallel <= 0) reloadParallel = 1;
        watch = watch == null ? List.of() : List.copyOf(watch);
        ignoreWatch = ignoreWatch == null ? List.of() : List.copyOf(ignoreWatch);
        if (watchDelayMs <= 0) watchDelayMs = DEFAULT_WATCH_DELAY_MS;
        if (minReadyMs != null && minReadyMs < 0) minReadyMs = null;
    }

    ReloadSpec withMinReadyMs(long ms) {
        return new ReloadSpec(reloadParallel, ms, cronRestart, watch, ignoreWatch, watchDelayMs);
    }
}
