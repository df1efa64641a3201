package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.proc.Posix;
import zdm.proc.Signal;
import zdm.protocol.AppView;
import zdm.test.Await;

/** zdm run as a container entrypoint: prefixed output, socket commands, orphans reaped, SIGTERM exits 0. */
@ExtendWith(ZdmHomes.class)
class RunIntegrationTest {
    ZdmHome z;
    ZdmHome.Background run;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
    }

    @AfterEach
    void tearDown() {
        if (run != null) run.process().destroyForcibly();
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
        var systemd = zdm.sys.UnixDatagram.bind(z.dir.resolve("notify.sock"));
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
                return z.app("broken").status() == AppView.Status.ERRORED;
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

    /** As PID 1 of a fresh pid namespace, the way a container starts it (needs root and unshare(1), as in CI). */
    @Test
    @org.junit.jupiter.api.Tag("root")
    void asPid1ItReapsOrphansAndExits0OnSigterm() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Posix.getuid() == 0 && Files.isExecutable(Path.of("/usr/bin/unshare")),
                "needs root and /usr/bin/unshare");
        z.ecosystem("""
                apps:
                  - name: web
                    shell: true
                    command: "sh -c 'sleep 1 & echo orphan $!'; echo hello; exec sleep 1000"
                    min_uptime: 300ms
                    env: { ZDM_TEST_TAG: ${TAG} }
                """);
        var cmd = new java.util.ArrayList<>(List.of("/usr/bin/unshare", "--pid", "--fork", "--mount-proc",
                ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "zdm.cli.Main", "run", "ecosystem.yaml"));
        var pb = new ProcessBuilder(cmd).directory(z.dir.toFile());
        pb.environment().put("ZDM_HOME", z.home.toString());
        var out = z.dir.resolve("pid1.out");
        var err = z.dir.resolve("pid1.err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        var unshare = pb.start();
        try {
            long java = Await.value(ZdmHome.SHORT, () -> unshare.toHandle().children().findFirst().map(ProcessHandle::pid).orElse(-1L),
                    pid -> pid > 0, "zdm run inside the namespace");
            Await.until(ZdmHome.SHORT, () -> read(out).contains("web[0] hello"), () -> "output: " + read(out) + read(err));
            assertTrue(Files.readString(Path.of("/proc/" + java + "/status")).matches("(?s).*NSpid:\\s+" + java + "\\s+1\\s.*"),
                    "zdm run is PID 1 in its namespace");
            Await.until(ZdmHome.SHORT, () -> read(err).contains("reaped orphan pid"), () -> "orphan reaped: " + read(err));
            assertEquals(List.of(), zombieChildren(java), "no zombie left under PID 1");
            Posix.kill(java, Signal.SIGTERM);
            assertTrue(unshare.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, unshare.exitValue(), read(err));
            assertEquals(0, z.taggedProcesses().size());
        } finally {
            unshare.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            unshare.destroyForcibly();
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static List<Long> zombieChildren(long parent) throws java.io.IOException {
        var found = new java.util.ArrayList<Long>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (var p : procs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    String s = Files.readString(p.resolve("stat"));
                    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                    if (f[0].equals("Z") && Long.parseLong(f[1]) == parent) found.add(Long.parseLong(p.getFileName().toString()));
                } catch (java.io.IOException gone) {
                    // exited meanwhile
                }
            }
        }
        return found;
    }

    /** What zdm start does with a file, zdm run does too: the metrics: endpoint, and the ignored pm2 options named. */
    @Test
    void servesTheFilesMetricsAndNamesTheIgnoredPm2Options() throws Exception {
        int metricsPort = zdm.net.FreePorts.reserve();
        z.file("ecosystem.json", """
                {"metrics": %d,
                 "apps": [{"name": "web", "script": "sleep", "args": "1000", "namespace": "api", "min_uptime": 300,
                           "env": {"ZDM_TEST_TAG": "%s"}}]}
                """.formatted(metricsPort, z.tag));
        run = z.background(java.util.Map.of(), "run", "ecosystem.json");
        Await.until(ZdmHome.SHORT, () -> run.err().contains("warning: ") && run.err().contains("namespace: ignored"),
                () -> "the dropped pm2 option is named: " + run.err());
        var http = java.net.http.HttpClient.newHttpClient();
        var scrape = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build();
        String body = Await.value(ZdmHome.SHORT, () -> {
            try {
                return http.send(scrape, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException e) {
                return "not listening yet: " + e;
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, b -> b.contains("zdm_app_workers_ready{app=\"web\"} 1"), "metrics of web served by zdm run on " + metricsPort);
        assertTrue(body.contains("zdm_worker_up{app=\"web\",worker=\"0\"} 1"), body);
        Posix.kill(run.process().pid(), Signal.SIGTERM);
        assertTrue(run.process().waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, run.process().exitValue(), run.err());
    }

    @Test
    void servesTheFilesDashboard() throws Exception {
        int dashboardPort = zdm.net.FreePorts.reserve();
        z.ecosystem("""
                dashboard: { listen: %d }
                apps:
                  - name: web
                    command: sleep 1000
                    env: { ZDM_TEST_TAG: ${TAG} }
                """.formatted(dashboardPort));
        run = z.background(java.util.Map.of(), "run", "ecosystem.yaml");
        // the daemon of the run writes the address once it serves (a 'zdm dashboard' before would start a daemon of its own)
        Await.until(ZdmHome.SHORT, () -> java.nio.file.Files.exists(z.home.resolve("dashboard.listen")),
                () -> "zdm run serving the file's dashboard: " + run.err());
        String link = z.ok("dashboard").out().strip();
        assertTrue(link.startsWith("http://127.0.0.1:" + dashboardPort + "/?token="), link);
        var http = java.net.http.HttpClient.newHttpClient();
        var answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(link)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        assertEquals(303, answer.statusCode(), "the link trades its token for the cookie");
        Posix.kill(run.process().pid(), Signal.SIGTERM);
        assertTrue(run.process().waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, run.process().exitValue(), run.err());
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
