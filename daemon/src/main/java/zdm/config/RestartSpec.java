package zdm.config;

import java.util.List;

/**
 * When an exited worker is started again, and when the app gives up.
 *
 * @param autorestart       restart workers that exit without being asked to
 * @param maxRestarts       unstable restarts (exits before minUptimeMs) tolerated before the app is errored
 * @param minUptimeMs       a worker that lived shorter than this counts as an unstable restart
 * @param restartDelayMs    first backoff delay; doubles on each consecutive unstable restart
 * @param restartDelayMaxMs cap of the exponential backoff
 * @param maxMemoryBytes    restart a worker whose process tree exceeds this resident size; 0 = off
 * @param stopExitCodes     exit codes after which a worker is not restarted (pm2's stop_exit_codes)
 */
public record RestartSpec(boolean autorestart, int maxRestarts, long minUptimeMs, long restartDelayMs,
                          long restartDelayMaxMs, long maxMemoryBytes, List<Integer> stopExitCodes) {
    /** Missing values (a spec stored by an older zdm) take their defaults here. */
    public RestartSpec {
        stopExitCodes = stopExitCodes == null ? List.of() : List.copyOf(stopExitCodes);
    }
}
