package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.config.Readiness;

/**
 * cron_restart, watch and ready: notify wait on the host's clock (monotonic; the fake one here), and a cron tick,
 * a wall-clock moment, is still found after the wall clock is set forward.
 */
class TriggerClockTest extends FixtureTest {
    @TempDir Path project;

    private long reloads(String app) {
        return f.events(app).stream().filter(e -> e.startsWith("reload: by ")).count();
    }

    @Test
    void cronTicksOnTheHostsClock() {
        f.host.setWall(f.host.wallMs() / 10_000 * 10_000 + 500); // ticks fall 9.5 s, 19.5 s, ... from here
        f.start(SupervisorFixture.spec("nightly").cronRestart("*/10 * * * * *").build());
        f.host.advance(1_000);
        f.host.advance(10_000);
        assertTrue(f.hasEvent("nightly", "reload: by cron_restart */10 * * * * *"), f.events("nightly").toString());
        f.host.advance(5_000); // the reload's replacement is ready and stable
        f.host.advance(10_000);
        assertEquals(2, reloads("nightly"), f.events("nightly").toString());
    }

    @Test
    void aWallClockSetForwardPastATickFiresItOnce() {
        f.start(SupervisorFixture.spec("nightly").cronRestart("0 0 * * *").build());
        f.host.advance(1_000);
        var wall = ZonedDateTime.ofInstant(Instant.ofEpochMilli(f.host.wallMs()), ZoneId.systemDefault());
        var midnight = wall.toLocalDate().plusDays(1).atStartOfDay(ZoneId.systemDefault());
        f.host.setWall(midnight.toInstant().toEpochMilli() + 3_000); // a day's wait now lies behind
        f.host.advance(AppTriggers.CRON_RECHECK.toMillis());
        assertEquals(1, reloads("nightly"), f.events("nightly").toString());
        f.host.advance(AppTriggers.CRON_RECHECK.toMillis() * 5);
        assertEquals(1, reloads("nightly"), "the next tick is tomorrow: " + f.events("nightly"));
    }

    @Test
    void watchWaitsItsDelayOnTheHostsClock() throws Exception {
        var dir = Files.createDirectories(project.resolve("src")); // not under zdm's home, which is never watched
        f.start(SupervisorFixture.spec("dev").watch(List.of(dir.toString())).watchDelayMs(60_000).build());
        f.host.advance(1_000);
        long end = System.nanoTime() + 30_000_000_000L; // the change reaches the loop through inotify, in real time
        long nextWrite = 0;
        while (reloads("dev") == 0 && System.nanoTime() < end) {
            // written again each second: the watch is registered on its own thread, and a change made
            // before that was never seen (a time-out once, at load 25)
            if (System.nanoTime() - nextWrite > 0) {
                Files.writeString(dir.resolve("app.js"), "changed");
                nextWrite = System.nanoTime() + 1_000_000_000L;
            }
            f.host.advance(60_000);
            Thread.sleep(20);
        }
        assertTrue(f.hasEvent("dev", "reload: by watch: " + dir.resolve("app.js") + " changed"), f.events("dev").toString());
    }

    @Test
    void readyNotifyTimesOutOnTheHostsClock() throws Exception {
        f.start(SupervisorFixture.spec("svc").ready(new Readiness.Notify()).listenTimeoutMs(30_000).build());
        f.host.advance(30_000);
        long end = System.nanoTime() + 20_000_000_000L;
        while (!f.hasEvent("svc", "not-ready") && System.nanoTime() < end) {
            Thread.sleep(20);
            f.host.settle();
        }
        assertTrue(f.hasEvent("svc", "not-ready: sent no READY=1 to its NOTIFY_SOCKET within listen_timeout 30000 ms;"
                + " sending SIGTERM, SIGKILL after kill_timeout 5000 ms"),
                f.events("svc").toString());
    }
}
