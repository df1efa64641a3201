package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.test.Await;

/** A daemon that has no apps yet: the commands that act on 'all' answer at once instead of waiting for nothing. */
@ExtendWith(ZdmHomes.class)
class NoAppsIntegrationTest {
    static ZdmHome z;

    @BeforeAll
    static void setUp(ZdmHome home) throws Exception {
        z = home;
        z.ok("ping"); // starts the daemon, with no apps
    }

    @Test
    void reloadAllWithNoAppsAnswersAtOnce() {
        var r = z.zdm("reload", "all"); // bounded by ZdmHome's 90 s: it used to wait forever
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("no apps to reload"), r.toString());
    }

    @Test
    void sighupWithNoAppsIsLoggedAsNothingToReload() throws Exception {
        long pid = z.daemonPid().orElseThrow();
        var kill = new ProcessBuilder("kill", "-HUP", Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor());
        Await.until(ZdmHome.SHORT, () -> z.daemonLog().contains("SIGHUP reload: no apps to reload"),
                () -> "the SIGHUP reload answers; daemon.log:\n" + z.daemonLog());
        assertEquals(0, z.zdm("reload", "all").exitCode(), "and a later reload is not held up by a stuck one");
    }

    /** nohup (or a shell's background job) hands the daemon HUP or INT ignored: the JVM would then never call our handler. */
    @Test
    void aDaemonStartedWithHupIgnoredStillReloadsOnSighup() throws Exception {
        try (var other = new ZdmHome()) {
            var cmd = new java.util.ArrayList<>(java.util.List.of("sh", "-c", "trap '' HUP INT; exec \"$@\"", "sh"));
            cmd.addAll(other.zdmCommand("ping"));
            var pb = new ProcessBuilder(cmd).directory(other.dir.toFile()).redirectErrorStream(true);
            pb.environment().putAll(other.zdmEnv());
            var ping = pb.start();
            String out = new String(ping.getInputStream().readAllBytes());
            assertEquals(0, ping.waitFor(), out);
            long pid = other.daemonPid().orElseThrow();
            assertTrue(other.daemonLog().contains("SIGHUP was ignored when the daemon started; handled now"), other.daemonLog());
            assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(pid)).inheritIO().start().waitFor());
            Await.until(ZdmHome.SHORT, () -> other.daemonLog().contains("SIGHUP reload: no apps to reload"),
                    () -> "the SIGHUP reload answers; daemon.log:\n" + other.daemonLog());
        }
    }
}
