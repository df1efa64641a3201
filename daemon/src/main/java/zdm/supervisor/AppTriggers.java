package zdm.supervisor;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import zdm.config.AppSpec;
import zdm.config.Cron;

/**
 * What reloads an app without a command: {@code cron_restart} (a zero-downtime reload at each tick) and
 * {@code watch} (a debounced reload when files change, see {@link FileWatch}). Owned by its {@link App};
 * every method runs on the supervision loop. A tick or change that finds the app stopped or already
 * reloading is skipped, with an event.
 */
final class AppTriggers {
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
        if (!java.util.Objects.equals(cron, spec.cronRestart())) {
            cron = spec.cronRestart();
            cronGeneration++;
            if (cron != null) scheduleTick(cronGeneration);
        }
        if (!watched.equals(spec.watch()) || !ignored.equals(spec.ignoreWatch()) || watchDelayMs != spec.watchDelayMs()) {
            closeWatch();
            watched = spec.watch();
            ignored = spec.ignoreWatch();
            watchDelayMs = spec.watchDelayMs();
            if (!watched.isEmpty()) {
                watch = FileWatch.start(app.name(), watched.stream().map(Path::of).toList(), ignored, app.ctx().home(),
                        changed -> app.loop().post(() -> changed(changed)));
            }
        }
    }

    /** The next tick of cron_restart, or null. */
    ZonedDateTime nextTick() {
        if (cron == null) return null;
        try {
            return Cron.parse(cron).next(ZonedDateTime.now());
        } catch (Cron.Invalid e) {
            return null; // validated when the file was loaded
        }
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
        var next = nextTick();
        if (next == null) return;
        long ms = Math.max(0, Duration.between(ZonedDateTime.now(), next).toMillis());
        app.loop().schedule(Duration.ofMillis(ms), () -> {
            if (generation != cronGeneration) return;
            reload("cron_restart " + cron);
            scheduleTick(generation);
        });
    }

    private void changed(Path path) {
        long seen = ++changes;
        app.loop().schedule(Duration.ofMillis(watchDelayMs), () -> {
            if (seen == changes && watch != null) reload("watch: " + path + " changed");
        });
    }

    private void reload(String why) {
        var ctx = app.ctx();
        if (!app.desiredRunning()) return; // a stopped app is not reloaded; starting it takes the files as they are
        String refusal = app.reloadRefusal();
        if (refusal != null) {
            ctx.event(app.name(), null, "reload-skipped", why + "; " + refusal);
            return;
        }
        ctx.event(app.name(), null, "reload", "by " + why);
        app.reload(null, outcome -> {}); // RollingReload records how it went
    }
}
