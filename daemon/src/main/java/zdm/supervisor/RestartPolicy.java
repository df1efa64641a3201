package zdm.supervisor;

import zdm.config.AppSpec;

/**
 * When a worker that exited unasked is spawned again, and when to give up: s6/pm2 semantics.
 * An exit after less than {@code min_uptime} is unstable; consecutive unstable exits double the
 * delay (from {@code restart_delay} up to {@code restart_delay_max}) and after {@code max_restarts}
 * of them the worker is errored, so a crash loop never burns CPU. A stable exit resets the streak.
 */
public record RestartPolicy(long minUptimeMs, int maxRestarts, long baseDelayMs, long maxDelayMs) {

    public static RestartPolicy of(AppSpec spec) {
        var r = spec.restart();
        return new RestartPolicy(r.minUptimeMs(), r.maxRestarts(), r.restartDelayMs(), r.restartDelayMaxMs());
    }

    /** What to do about an exit after {@code uptimeMs}, given the unstable streak before it. */
    public Decision decide(long uptimeMs, int unstableStreak) {
        boolean unstable = uptimeMs < minUptimeMs;
        int streak = unstable ? unstableStreak + 1 : 0;
        if (streak > maxRestarts) {
            return new Decision.GiveUp(streak);
        }
        return new Decision.RestartAfter(delayFor(streak), streak);
    }

    /** restart_delay × 2^(streak-1), capped; a stable exit waits restart_delay. */
    long delayFor(int streak) {
        if (streak <= 1) return Math.min(baseDelayMs, maxDelayMs);
        long d = baseDelayMs;
        for (int i = 1; i < streak && d < maxDelayMs; i++) d = Math.multiplyExact(d, 2);
        return Math.min(d, maxDelayMs);
    }

    public sealed interface Decision {
        record RestartAfter(long delayMs, int unstableStreak) implements Decision {}

        record GiveUp(int unstableStreak) implements Decision {}
    }
}
