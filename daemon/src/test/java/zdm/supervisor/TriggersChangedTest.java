package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.config.AppSpecBuilder;

/**
 * A changed file re-arms an app's triggers: {@code watch}, {@code ignore_watch} and {@code watch_delay} take effect
 * for the running app (watched with real inotify), and a new {@code cron_restart} replaces the old schedule.
 */
class TriggersChangedTest extends RequestTest {
    @TempDir Path project;

    private long reloadsBy(String app, String why) {
        return f.events(app).stream().filter(e -> e.startsWith("reload: by " + why)).count();
    }

    /** Writes {@code file} once a second and moves the clock by {@code stepMs} until a change of it reloads the app; bounded. */
    private boolean writeUntilReloaded(Path file, long stepMs) throws Exception {
        long end = System.nanoTime() + 30_000_000_000L;
        long nextWrite = 0;
        while (reloadsBy("dev", "watch: " + file) == 0 && System.nanoTime() < end) {
            if (System.nanoTime() - nextWrite > 0) { // the watch registers its directories on its own thread
                Files.writeString(file, "changed");
                nextWrite = System.nanoTime() + 1_000_000_000L;
            }
            Thread.sleep(20);
            f.host.advance(stepMs);
        }
        return reloadsBy("dev", "watch: " + file) > 0;
    }

    private AppSpecBuilder dev() {
        return SupervisorFixture.spec("dev");
    }

    @Test
    void aFileThatAddsWatchToARunningAppReloadsItOnChanges() throws Exception {
        var src = Files.createDirectories(project.resolve("src"));
        f.start(dev().build());
        f.host.advance(1_000);
        ask(s -> s.apply(List.of(dev().watch(List.of(src.toString())).build()), UID, progress::add));
        assertTrue(writeUntilReloaded(src.resolve("app.js"), 1_000), f.events("dev").toString());
    }

    @Test
    void aShorterWatchDelayTakesEffectForTheRunningApp() throws Exception {
        var src = Files.createDirectories(project.resolve("src"));
        f.start(dev().watch(List.of(src.toString())).watchDelayMs(3_600_000).build());
        f.host.advance(1_000);
        ask(s -> s.apply(List.of(dev().watch(List.of(src.toString())).watchDelayMs(100).build()), UID, progress::add));
        assertTrue(writeUntilReloaded(src.resolve("app.js"), 100), "reloaded 100 ms after the change: " + f.events("dev"));
    }

    @Test
    void aNewIgnoreWatchTakesEffectForTheRunningApp() throws Exception {
        var src = Files.createDirectories(project.resolve("src"));
        var tmp = Files.createDirectories(src.resolve("tmp"));
        f.start(dev().watch(List.of(src.toString())).watchDelayMs(100).build());
        f.host.advance(1_000);
        ask(s -> s.apply(List.of(dev().watch(List.of(src.toString())).ignoreWatch(List.of("tmp")).watchDelayMs(100).build()),
                UID, progress::add));
        long end = System.nanoTime() + 30_000_000_000L;
        var app = src.resolve("app.js");
        while (reloadsBy("dev", "watch: " + app) == 0 && System.nanoTime() < end) { // an ignored change first, each time
            Files.writeString(tmp.resolve("cache"), "changed");
            Files.writeString(app, "changed");
            Thread.sleep(200);
            f.host.advance(100);
        }
        assertTrue(reloadsBy("dev", "watch: " + app) > 0, f.events("dev").toString());
        assertEquals(0, reloadsBy("dev", "watch: " + tmp), f.events("dev").toString());
    }

    @Test
    void aNewCronScheduleReplacesTheOld() {
        f.host.setWall(f.host.wallMs() / 60_000 * 60_000 + 500); // ticks of */10 fall 9.5 s, 19.5 s, ... from here
        f.start(dev().cronRestart("*/10 * * * * *").build());
        f.host.advance(1_000);
        ask(s -> s.apply(List.of(dev().cronRestart("0 0 1 1 *").build()), UID, progress::add));
        f.host.advance(60_000);
        assertEquals(0, reloadsBy("dev", "cron_restart"), "the old schedule's ticks do nothing: " + f.events("dev"));
        assertFalse(f.hasEvent("dev", "reload-skipped"), f.events("dev").toString());
    }
}
