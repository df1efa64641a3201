package zdm.supervisor;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import zdm.config.AppSpec;
import zdm.config.Cron;

/**
 * What reloads an app without a command: {@code cron_restart} (a zero-downtime reload at each tick) and
 * {@code watch} (a debounced reload when files change, see {@link FileWatch}). Owned by its {@link App};
 * every method runs on the supervision loop. A tick or change that finds the app stopped or already
 * reloading is skipped, with an event.
 *
 * <p>Time goes through the app's {@link Host}: waits run on its monotonic clock and every task is posted guarded
 * ({@link App#schedule}, {@link App#post}), so a bug here errors this app only. A cron tick is a wall-clock
 * moment, so the wait for it is cut into steps of at most {@link #CRON_RECHECK} after which the wall clock is
 * read again: a wall clock set forward past a tick fires it then (once), one set back delays it to its time.
 */
final class AppTriggers {
    static final Duration CRON_RECHECK = Duration.ofMinutes(1);

    private final App app;
    private String cron;
    private List<String> watched = List.of();
    private List<String> ignored = List.of();
    private long watchDelayMs;
    /** Bumped whenever the cron schedule changes, so a tick of an old schedule does nothing. */
    private int cronGeneration;
    private FileWatch watch;
    /** Bumped on every change seen, so only the last change of a burst reloads (after watch_delay). */
    private long changes;

    AppTriggers(App app) {
        this.app = app;
    }

    /** Arms (or re-arms, when they changed) the triggers of {@code spec}. */
    void update(AppSpec spec) {
        if (!Objects.equals(cron, spec.reload().cronRestart())) {
            cron = spec.reload().cronRestart();
            cronGeneration++;
            if (cron != null) scheduleTick(cronGeneration);
        }
        if (!watched.equals(spec.reload().watch()) || !ignored.equals(spec.reload().ignoreWatch()) || watchDelayMs != spec.reload().watchDelayMs()) {
            closeWatch();
            watched = spec.reload().watch();
            ignored = spec.reload().ignoreWatch();
            watchDelayMs = spec.reload().watchDelayMs();
            if (!watched.isEmpty()) {
                watch = FileWatch.start(app.name(), watched.stream().map(Path::of).toList(), ignored, app.ctx().home(),
                        changed -> app.post(() -> changed(changed)));
            }
        }
    }

    /** The next tick of cron_restart after {@code after}, or null. */
    private ZonedDateTime nextTick(ZonedDateTime after) {
        if (cron == null) return null;
        try {
            return Cron.parse(cron).next(after);
        } catch (Cron.Invalid e) {
            return null; // validated when the file was loaded
        }
    }

    private ZonedDateTime wallNow() {
        return ZonedDateTime.ofInstant(Instant.ofEpochMilli(app.host().wallMs()), ZoneId.systemDefault());
    }

    void close() {
        cronGeneration++;
        cron = null;
        closeWatch();
        watched = List.of();
    }

    private void closeWatch() {
        if (watch != null) watch.close();
        watch = null;
    }

    private void scheduleTick(int generation) {
        var next = nextTick(wallNow());
        if (next != null) waitForTick(generation, next);
    }

    /** Waits (in steps of at most CRON_RECHECK, reading the wall clock after each) until {@code tick}, then reloads. */
    private void waitForTick(int generation, ZonedDateTime tick) {
        long ms = Duration.between(wallNow(), tick).toMillis();
        if (ms > 0) {
            app.schedule(Duration.ofMillis(Math.min(ms, CRON_RECHECK.toMillis())), () -> {
                if (generation == cronGeneration) waitForTick(generation, tick);
            });
            return;
        }
        reload("cron_restart " + cron);
        // The next tick after now: a clock set far forward fires one reload, not one per tick it skipped.
        scheduleTick(generation);
    }

    private void changed(Path path) {
        long seen = ++changes;
        app.schedule(Duration.ofMillis(watchDelayMs), () -> {
            if (seen == changes && watch != null) reload("watch: " + path + " changed");
        });
    }

    private void reload(String why) {
        var ctx = app.ctx();
        if (!app.desiredRunning()) return; // a stopped app is not reloaded; starting it takes the files as they are
        String refusal = AppConditions.reloadRefusal(app);
        if (refusal != null) {
            ctx.event(app.name(), null, "reload-skipped", why + "; " + refusal);
            return;
        }
        ctx.event(app.name(), null, "reload", "by " + why);
        app.reload(null, outcome -> {}); // RollingReload records how it went
    }
}
