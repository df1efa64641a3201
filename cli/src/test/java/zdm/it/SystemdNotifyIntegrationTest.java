package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.proc.Posix;
import zdm.proc.Signal;
import zdm.sys.UnixDatagram;
import zdm.sys.UnixDatagramReceiver;

/** {@code zdm daemon} under a Type=notify unit: READY=1 once the apps serve, STOPPING=1 on SIGTERM, exit 0. */
@ExtendWith(ZdmHomes.class)
class SystemdNotifyIntegrationTest {
    ZdmHome z;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
        z.ecosystem("""
                apps:
                  - name: a
                    command: sleep 1000
                    instances: 2
                    min_uptime: 1s
                    env: { ZDM_TEST_TAG: ${TAG} }
                """);
    }

    @Test
    void readyAfterTheRestoredAppsAreOnlineAndStoppingOnSigterm() throws Exception {
        z.ok("start", "ecosystem.yaml");   // registers the app as running, through an auto-started daemon
        z.ok("kill");                      // the next daemon restores it

        Path sock = z.dir.resolve("notify.sock");
        try (var systemd = UnixDatagram.bind(sock)) {
            var daemon = z.background(ZdmHome.env("NOTIFY_SOCKET", sock.toString()), "daemon");
            try {
                var ready = awaitMessage(systemd, "READY=1");
                assertEquals(daemon.process().pid(), ready.senderPid(), "sent by the main process");
                assertTrue(ready.text().contains("MAINPID=" + daemon.process().pid()), ready.text());
                assertEquals(2, z.app("a").onlineCount(), "READY=1 only once the restored workers are online: " + z.apps());
                for (long pid : z.pids("a")) {
                    var env = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8);
                    assertFalse(env.contains("NOTIFY_SOCKET="), "workers do not inherit systemd's socket");
                }

                Posix.kill(daemon.process().pid(), Signal.SIGTERM);
                var stopping = awaitMessage(systemd, "STOPPING=1");
                assertEquals(daemon.process().pid(), stopping.senderPid());
                assertTrue(daemon.process().waitFor(30, TimeUnit.SECONDS), "the daemon exits after the graceful stop");
                assertEquals(0, daemon.process().exitValue(), "SIGTERM is a clean stop, not 143:\n" + daemon.err());
                assertEquals(0, z.taggedProcesses().size(), "every worker stopped");
            } finally {
                daemon.process().destroyForcibly();
            }
        }
    }

    @Test
    void noNotifySocketMeansNoMessagesAndTheDaemonRunsAsBefore() throws Exception {
        // An auto-started daemon never notifies, even if the CLI runs inside a unit with NOTIFY_SOCKET.
        Path sock = z.dir.resolve("inherited.sock");
        try (var systemd = UnixDatagram.bind(sock)) {
            z.env.put("NOTIFY_SOCKET", sock.toString());
            z.ok("start", "ecosystem.yaml");
            assertTrue(systemd.receive(Duration.ofMillis(300)).isEmpty(), "the CLI's daemon is not the unit's service");
        }
    }

    private static UnixDatagram.Datagram awaitMessage(UnixDatagramReceiver r, String line) throws Exception {
        long deadline = System.nanoTime() + ZdmHome.SHORT.toNanos();
        var seen = new StringBuilder();
        while (System.nanoTime() < deadline) {
            var d = r.receive(Duration.ofMillis(500));
            if (d.isEmpty()) continue;
            seen.append(d.get().text().replace('\n', '|')).append(" / ");
            if (d.get().text().lines().anyMatch(line::equals)) return d.get();
        }
        throw new AssertionError("no " + line + " within " + ZdmHome.SHORT + "; got: " + seen);
    }
}
