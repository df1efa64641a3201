package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.config.AppSpecBuilder;
import zdm.config.Readiness;
import zdm.test.Await;

/**
 * What reloads an app without a command, at its edges: one change alone reloads it after {@code watch_delay}; a
 * watch replaced by a changed file, or closed by the daemon's shutdown, reports nothing more (another app watching
 * the same directory shows the changes did happen); a cron tick while a reload runs is skipped with an event.
 * Real inotify, the fake clock.
 */
class ReloadTriggersEdgesTest extends RequestTest {
    @TempDir Path project;

    private AppSpecBuilder watching(String app, Path dir) {
        return SupervisorFixture.spec(app).watch(List.of(dir.toString())).watchDelayMs(100);
    }

    private long reloadsBy(String app, String why) {
        return f.events(app).stream().filter(e -> e.startsWith("reload: by " + why)).count();
    }

    /**
     * Creates a new file in {@code dir} every 200 ms of real time, moving the clock 1 s after each (past watch_delay,
     * and a reload's replacement becomes ready), until app "probe", which watches {@code dir}, was reloaded twice by
     * those changes: every watch still open on {@code dir} has seen changes by then. Bounded.
     */
    private void changeUntilProbeReloadedTwice(Path dir) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        for (int i = 0; reloadsBy("probe", "watch: " + dir) < 2 && System.nanoTime() < end; i++) {
            Files.createFile(dir.resolve("change-" + i));
            Thread.sleep(200);
            f.host.advance(1_000);
        }
        assertEquals(2, Math.min(2, reloadsBy("probe", "watch: " + dir)), "the probe saw the changes: " + f.events("probe"));
    }

    @Test
    void oneChangeAloneReloadsAfterTheWatchDelay() throws Exception {
        var src = Files.createDirectories(project.resolve("src"));
        f.start(watching("dev", src).watchDelayMs(1_000).build());
        f.host.advance(1_000);
        // the watch registers its directories on its own thread: a first file until its change is seen
        int before = f.host.timersPending();
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (int i = 0; f.host.timersPending() == before && System.nanoTime() < end; i++) {
            Files.createFile(src.resolve("warm-up-" + i));
            Await.within(Duration.ofSeconds(5), () -> f.host.timersPending() > before); // one file at a time: no late second event
        }
        f.host.advance(1_000);
        f.host.advance(10_000); // whatever the warm-up did is over
        long reloads = reloadsBy("dev", "watch: ");
        int pending = f.host.timersPending();
        var file = Files.createFile(src.resolve("app.js")); // one event: a file created, nothing written
        Await.until(Duration.ofSeconds(20), () -> f.host.timersPending() > pending, "the change is seen");
        f.host.advance(999);
        assertEquals(reloads, reloadsBy("dev", "watch: "), "not before watch_delay");
        f.host.advance(1);
        assertTrue(f.hasEvent("dev", "reload: by watch: " + file + " changed"), f.events("dev").toString());
        assertEquals(reloads + 1, reloadsBy("dev", "watch: "), f.events("dev").toString());
    }

    @Test
    void aWatchReplacedByAChangedFileReportsNothingMore() throws Exception {
        var old = Files.createDirectories(project.resolve("old"));
        var now = Files.createDirectories(project.resolve("now"));
        f.start(watching("dev", old).build());
        f.start(watching("probe", old).build());
        f.host.advance(1_000);
        ask(s -> s.apply(List.of(watching("dev", now).build()), UID, progress::add));
        changeUntilProbeReloadedTwice(old);
        assertEquals(0, reloadsBy("dev", "watch: "), "the replaced watch is closed: " + f.events("dev"));
    }

    @Test
    void anIgnoreWatchAddedByAChangedFileTakesEffect() throws Exception {
        var src = Files.createDirectories(project.resolve("src"));
        var tmp = Files.createDirectories(src.resolve("tmp"));
        f.start(watching("dev", src).build());
        f.start(watching("probe", tmp).build());
        f.host.advance(1_000);
        ask(s -> s.apply(List.of(watching("dev", src).ignoreWatch(List.of("tmp")).build()), UID, progress::add));
        changeUntilProbeReloadedTwice(tmp);
        assertEquals(0, reloadsBy("dev", "watch: "), "changes under tmp/ are ignored now: " + f.events("dev"));
    }

    @Test
    void theDaemonsShutdownClosesEveryWatch() throws Exception {
        var src = Files.createDirectories(project.resolve("src"));
        f.start(watching("dev", src).build());
        f.host.advance(1_000);
        f.sup.shutdown(); // stops the workers, keeps the app wanted for the next daemon
        f.start(watching("probe", src).build()); // a watch opened after it, on the same directory
        f.host.advance(1_000);
        changeUntilProbeReloadedTwice(src);
        assertEquals(0, reloadsBy("dev", "watch: "), f.events("dev").toString());
    }

    @Test
    void aCronTickDuringAReloadIsSkippedWithAnEvent() {
        f.host.setWall(f.host.wallMs() / 60_000 * 60_000 + 500); // ticks of */10 fall 9.5 s, 19.5 s, ... from here
        f.start(SupervisorFixture.spec("nightly").cronRestart("*/10 * * * * *").ready(new Readiness.Log("listening"))
                .listenTimeoutMs(600_000).build());
        f.host.newest("nightly", 0).prints(false, "listening");
        f.reload("nightly"); // its replacement never says it listens
        f.host.advance(10_000);
        assertTrue(f.hasEventStarting("nightly", "reload-skipped: cron_restart */10 * * * * *; nightly is already reloading (for "),
                f.events("nightly").toString());
        assertEquals(0, reloadsBy("nightly", "cron_restart"), f.events("nightly").toString());
    }
}
