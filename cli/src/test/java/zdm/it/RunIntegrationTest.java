package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import zdm.proc.Posix;
import zdm.proc.Signal;

/** zdm run as a container entrypoint: prefixed output, socket commands, orphans reaped, SIGTERM exits 0. */
class RunIntegrationTest {
    ZdmHome z;
    ZdmHome.Background run;

    @BeforeEach
    void setUp() throws Exception {
        z = new ZdmHome();
    }

    @AfterEach
    void tearDown() {
        if (run != null) run.process().destroyForcibly();
        z.close();
    }

    @Test
    void runsTheAppsInTheForegroundAndStopsCleanlyOnSigterm() throws Exception {
        // The worker leaves an orphan behind (its parent shell exits at once): re-parented to zdm run,
        // which must reap it when it ends, 2 s later.
        z.ecosystem("""
                apps:
                  - name: web
                    shell: true
                    command: "sh -c 'sleep 2 & echo orphan $!'; echo hello from $ZDM_APP; exec sleep 1000"
                    instances: 2
                    min_uptime: 300ms
                    env: { ZDM_TEST_TAG: ${TAG} }
                """);
        var systemd = zdm.proc.UnixDatagram.bind(z.dir.resolve("notify.sock"));
        run = z.background(ZdmHome.env("NOTIFY_SOCKET", systemd.address()), "run", "ecosystem.yaml");
        long runPid = run.process().pid();
        try (systemd) {
            // Under a Type=notify unit, READY=1 waits for the file's apps, not just the restored ones.
            long deadline = System.nanoTime() + ZdmHome.SHORT.toNanos();
            String ready = null;
            while (ready == null && System.nanoTime() < deadline) {
                ready = systemd.receive(java.time.Duration.ofMillis(500)).map(d -> d.text())
                        .filter(t -> t.startsWith("READY=1")).orElse(null);
            }
            assertTrue(ready != null, "READY=1 from zdm run: " + run.err());
            assertEquals(2, z.app("web").onlineCount(), "ready only once the file's workers are online: " + ready);
        }
        Await.until(ZdmHome.SHORT, () -> run.out().contains("web[0] hello from web") && run.out().contains("web[1] hello from web"),
                () -> "prefixed output of both workers on stdout:\n" + run.out() + run.err());

        var orphan = Pattern.compile("web\\[0\\] orphan (\\d+)").matcher(run.out());
        assertTrue(orphan.find(), run.out());
        long orphanPid = Long.parseLong(orphan.group(1));
        // Either still sleeping (then zdm run is its parent, being the subreaper) or already reaped.
        var stat = Path.of("/proc/" + orphanPid + "/stat");
        if (Files.exists(stat)) {
            String s = Files.readString(stat);
            long ppid = Long.parseLong(s.substring(s.lastIndexOf(')') + 2).split(" ")[1]);
            assertEquals(runPid, ppid, "the orphan was re-parented to zdm run (subreaper)");
        }
        Await.until(ZdmHome.SHORT, () -> !Files.exists(stat), () -> "the orphan's zombie is reaped: " + run.err());
        Await.until(ZdmHome.SHORT, () -> run.err().contains("reaped orphan pid " + orphanPid + " (exit code 0)"),
                () -> "zdm run reaped it itself (init did not): " + run.err());

        Await.until(ZdmHome.SHORT, () -> z.app("web").onlineCount() == 2, () -> "web online: " + z.apps());
        var ls = z.ok("ls");
        assertTrue(ls.out().contains("web"), ls.toString());
        var before = z.pids("web");
        z.ok("reload", "web");
        var after = z.pids("web");
        assertTrue(after.stream().noneMatch(before::contains), "reload through the socket replaced the workers: " + before + " -> " + after);

        Posix.kill(runPid, Signal.SIGTERM);
        assertTrue(run.process().waitFor(30, TimeUnit.SECONDS), "zdm run exits after the graceful stop");
        assertEquals(0, run.process().exitValue(), run.err());
        assertEquals(0, z.taggedProcesses().size(), "no worker left");
    }

    @Test
    void anAppThatEndsErroredEndsTheRunWithCode1() throws Exception {
        z.ecosystem("""
                apps:
                  - name: broken
                    shell: true
                    command: "echo failing >&2; exit 3"
                    max_restarts: 1
                    restart_delay: 50ms
                    min_uptime: 1s
                    env: { ZDM_TEST_TAG: ${TAG} }
                """);
        run = z.background(java.util.Map.of(), "run", "ecosystem.yaml");
        assertTrue(run.process().waitFor(30, TimeUnit.SECONDS), "auto-exit once nothing runs:\n" + run.err());
        assertEquals(1, run.process().exitValue(), run.err());
        assertTrue(run.err().contains("broken[0] failing"), "stderr lines keep their prefix: " + run.err());
        assertTrue(run.err().contains("errored"), run.err());
    }

    @Test
    void zdmKillOfARunWithAnErroredAppExits1AndWithNoAutoExitItWaitsForTheKill() throws Exception {
        z.ecosystem("""
                apps:
                  - name: ok
                    command: sleep 1000
                    min_uptime: 200ms
                    env: { ZDM_TEST_TAG: ${TAG} }
                  - name: broken
                    shell: true
                    command: "exit 3"
                    max_restarts: 1
                    restart_delay: 50ms
                    min_uptime: 1s
                    env: { ZDM_TEST_TAG: ${TAG} }
                """);
        run = z.background(java.util.Map.of(), "run", "ecosystem.yaml", "--no-auto-exit");
        Await.until(ZdmHome.SHORT, () -> {
            try {
                return "errored".equals(z.app("broken").status());
            } catch (AssertionError notServingYet) {
                return false;
            }
        }, () -> "broken errored: " + run.err());
        Await.holdsFor(java.time.Duration.ofSeconds(1), () -> run.process().isAlive(), "zdm run stays up while ok runs");
        z.ok("kill");
        assertTrue(run.process().waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, run.process().exitValue(), "an app was errored when the stop came: " + run.err());
        assertEquals(0, z.taggedProcesses().size());
    }

    @Test
    void anInvalidFileIsAUsageErrorAndStartsNothing() throws Exception {
        z.ecosystem("""
                apps:
                  - name: x
                    command: sleep 1
                    instancs: 2
                """);
        var r = z.zdm("run", "ecosystem.yaml");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("instancs"), r.toString());
        assertTrue(z.daemonPid().isEmpty(), "no daemon was started");
    }
}
