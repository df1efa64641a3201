package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.net.FreePorts;
import zdm.protocol.EventView;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.protocol.WorkerView;
import zdm.test.Await;

/**
 * ready: notify (sd_notify's READY=1), with a Python worker serving on the inherited fd 3; the
 * NOTIFY_SOCKET lives as long as the worker (STATUS= shown, STOPPING=1 after READY=1 reaches zdm);
 * and Ruby's sd_notify gem reaches the socket of a home whose path is too long for one.
 */
@ExtendWith(ZdmHomes.class)
class NotifyReadinessIntegrationTest {
    ZdmHome z;
    int port;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
        port = FreePorts.reserve();
        z.testApp("notify.py");
    }

    private void start(String notifyAfter) throws Exception {
        z.ecosystem("""
                apps:
                  - name: py
                    command: [python3, notify.py]
                    port: %d
                    listen: socket
                    ready: notify
                    listen_timeout: %s
                    max_restarts: 0
                    env: { ZDM_TEST_TAG: ${TAG}, NOTIFY_AFTER_S: '%s' }
                """.formatted(port, listenTimeout(notifyAfter), notifyAfter));
        z.zdm("start", "ecosystem.yaml");
    }

    /** Short only where the deadline is what the test is about: python's start under a busy machine
     *  plus a 1.5 s wait overran 3 s and failed the start (seen in a suite run at load 28). */
    private static String listenTimeout(String notifyAfter) {
        return notifyAfter.equals("never") ? "3s" : "30s";
    }

    private List<EventView> events() {
        return ((Response.Described) z.request(new Request.Describe("py"))).app().events();
    }

    @Test
    void theWorkerIsOnlineWhenItSaysReadyAndServesOnFd3() throws Exception {
        start("1.5");
        Await.until(ZdmHome.SHORT, () -> events().stream().anyMatch(e -> e.kind().equals("online")), "the worker is online");
        var online = events().stream().filter(e -> e.kind().equals("online")).findFirst().orElseThrow().detail();
        long ms = Long.parseLong(online.replaceAll(".*ready after (\\d+) ms.*", "$1"));
        assertTrue(ms >= 1500, "online only once READY=1 was sent, 1.5 s after the start: " + online);
        var reply = Http.get(port, "/");
        assertEquals(200, reply.status());
        assertTrue(reply.body().contains("python pid " + z.pids("py").getFirst()), reply.body());
    }

    @Test
    void messagesAfterReadyAreReadUntilTheWorkerExits() throws Exception {
        start("0.2");
        Await.until(ZdmHome.SHORT, () -> events().stream().anyMatch(e -> e.kind().equals("online")), "the worker is online");
        long pid = z.pids("py").getFirst();
        Await.until(ZdmHome.SHORT, () -> "warmed up".equals(z.app("py").workers().getFirst().status()), "STATUS= is shown");
        assertTrue(z.ok("ls", "--json").out().contains("\"status\":\"warmed up\""), "ls --json shows STATUS=");
        assertTrue(z.ok("describe", "py").out().contains("warmed up"), "describe shows STATUS=");
        z.ok("stop", "py");
        // STOPPING=1 comes just before the exit, so it may be read after the exit was handled: poll
        Await.until(ZdmHome.SHORT, () -> events().stream()
                .anyMatch(e -> e.kind().equals("stopping") && e.detail().contains("pid " + pid + " sent STOPPING=1")),
                () -> "the stopping event: " + events());
        var stopped = events().stream().filter(e -> e.kind().equals("stopped")).reduce((a, b) -> b).orElseThrow().detail();
        assertTrue(stopped.contains("code 0"), "its STOPPING=1 after READY=1 was received, so it exited cleanly: " + stopped);
        // removed right after the exit was handled, which the stop's answer does not wait for: poll
        Await.until(ZdmHome.SHORT, () -> {
            try (var left = Files.list(z.home.resolve("notify"))) {
                return left.findAny().isEmpty();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "the socket is removed once the worker exited");
    }

    @Test
    void aWorkerKeptByKillKeepWorkersStillReachesItsNotifySocketUnderTheNextDaemon() throws Exception {
        start("0.2");
        Await.until(ZdmHome.SHORT, () -> events().stream().anyMatch(e -> e.kind().equals("online")), "the worker is online");
        long pid = z.pids("py").getFirst();
        z.ok("kill", "--keep-workers");
        assertTrue(ZdmHome.alive(pid), "the worker kept serving");
        z.ok("ls"); // the next daemon takes the socket over, starts a fresh worker and retires the kept one
        Await.until(ZdmHome.SHORT, () -> !ZdmHome.alive(pid), "the kept worker is retired");
        // notify.py sends STOPPING=1 on SIGTERM and exits 1 when that fails: the event shows the next daemon received it
        Await.until(ZdmHome.SHORT, () -> events().stream().anyMatch(e -> e.kind().equals("stopping")
                && e.detail().equals("pid " + pid + " (left running by a previous daemon) sent STOPPING=1")), () -> "the stopping event: " + events());
        Await.until(ZdmHome.SHORT, () -> z.app("py").workers().getFirst().state() == WorkerView.State.ONLINE, "the fresh worker is online");
        assertTrue(!z.ok("logs", "py", "-n", "100").out().contains("STOPPING=1 failed"), z.zdm("logs", "py").out());
    }

    /** The same with a real server: puma's recipe (it sends STOPPING=1 as it begins its graceful stop, and dies if that fails). */
    @Test
    void pumaKeptByKillKeepWorkersIsRetiredCleanlyByTheNextDaemon() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/puma")) && Installed.rubyLibrary("sd_notify"),
                "puma and ruby-sd-notify are not installed (bin/test installs them as root)");
        try (var files = Files.list(RealServersMatrixIntegrationTest.recipes().resolve("puma"))) {
            for (Path f : files.toList()) Files.copy(f, z.dir.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        z.ecosystem(Files.readString(z.dir.resolve("socket.yaml")).replace("port: 3000", "port: " + port + "\n    env: { ZDM_TEST_TAG: ${TAG} }"));
        z.ok("start", "ecosystem.yaml");
        var kept = z.pids("web");
        assertEquals(2, kept.size(), z.apps().toString());
        z.ok("kill", "--keep-workers");
        z.ok("ls");
        for (long pid : kept) {
            Await.until(Duration.ofSeconds(60), () -> !ZdmHome.alive(pid), "kept puma " + pid + " is retired");
            Await.until(ZdmHome.SHORT, () -> webEvents().stream().anyMatch(e -> e.kind().equals("stopping")
                    && e.detail().equals("pid " + pid + " (left running by a previous daemon) sent STOPPING=1")), () -> "its stopping event: " + webEvents());
        }
        assertEquals(200, Http.get(port, "/").status());
        var logs = z.ok("logs", "web", "-n", "200").out();
        assertTrue(!logs.contains("ECONNREFUSED") && !logs.contains("Connection refused"), logs);
    }

    private List<EventView> webEvents() {
        return ((Response.Described) z.request(new Request.Describe("web"))).app().events();
    }

    @Test
    void rubysSdNotifyReachesTheSocketOfAHomeTooLongForOne() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ruby")) && Installed.rubyLibrary("sd_notify"),
                "ruby with the sd_notify gem (Debian: ruby-sd-notify) is not installed");
        // 95 bytes: the control socket (zdm.sock) still fits, a notify socket inside the home would not.
        var home = z.dir.resolve("h".repeat(95 - z.dir.toString().length() - 1));
        z.env.put("ZDM_HOME", home.toString());
        z.ecosystem("""
                apps:
                  - name: rb
                    command: [ruby, -rsd_notify, -e, 'SdNotify.status("ruby here"); SdNotify.ready; sleep']
                    ready: notify
                    listen_timeout: 10s
                    env: { ZDM_TEST_TAG: ${TAG} }
                """);
        try {
            z.ok("start", "ecosystem.yaml");
            var json = z.ok("ls", "--json").out();
            assertTrue(json.contains("\"state\":\"online\"") && json.contains("\"status\":\"ruby here\""), json);
            long pid = z.taggedProcesses().getFirst();
            var address = "";
            for (var v : Files.readString(Path.of("/proc/" + pid + "/environ")).split("\u0000")) {
                if (v.startsWith("NOTIFY_SOCKET=")) address = v.substring("NOTIFY_SOCKET=".length());
            }
            assertTrue(address.startsWith("/") && !address.startsWith(home.toString()), "a short path, never abstract: " + address);
            var dir = Path.of(address).getParent();
            assertTrue(Files.isDirectory(dir), dir.toString());
            z.ok("kill");
            assertTrue(!Files.exists(dir), "the short directory is removed when the daemon stops: " + dir);
        } finally {
            z.zdm("kill");
        }
    }

    @Test
    void aWorkerThatNeverSaysReadyFailsItsStartAtTheDeadline() throws Exception {
        start("never");
        Await.until(ZdmHome.SHORT, () -> events().stream().anyMatch(e -> e.kind().equals("not-ready")), "the deadline passed");
        var why = events().stream().filter(e -> e.kind().equals("not-ready")).findFirst().orElseThrow().detail();
        assertTrue(why.contains("sent no READY=1 to its NOTIFY_SOCKET within listen_timeout 3000 ms"), why);
        assertTrue(events().stream().noneMatch(e -> e.kind().equals("online")), events().toString());
    }
}
