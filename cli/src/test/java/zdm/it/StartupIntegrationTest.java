package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** zdm startup / unstartup with a throwaway XDG_CONFIG_HOME: the file, its content, its removal. */
@ExtendWith(ZdmHomes.class)
class StartupIntegrationTest {
    ZdmHome z;
    Path config;
    Path unit;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
        config = z.dir.resolve("config");
        unit = config.resolve("systemd/user/zdm.service");
        z.env.put("XDG_CONFIG_HOME", config.toString());
        z.env.put("ZDM_LAUNCHER", "/opt/zdm-1/bin/zdm");
    }

    @Test
    void writesAUserUnitThenRemovesItWithItsEnableLink() throws Exception {
        z.ecosystem("""
                apps:
                  - name: slow
                    command: sleep 1000
                    kill_timeout: 40s
                    env: { ZDM_TEST_TAG: ${TAG} }
                """);
        z.ok("start", "ecosystem.yaml");   // a registered app with a long kill_timeout sets the stop timeout
        var r = z.ok("startup", "--user");
        assertTrue(r.out().contains("wrote " + unit), r.toString());
        assertTrue(r.out().contains("systemctl --user daemon-reload && systemctl --user enable --now zdm"), r.toString());
        assertTrue(r.out().contains("a daemon is already running"), "warns that the home is taken: " + r);
        String text = Files.readString(unit);
        assertTrue(text.contains("\nExecStart=\"/opt/zdm-1/bin/zdm\" daemon\n"), text);
        assertTrue(text.contains("\nEnvironment=\"ZDM_HOME=" + z.home + "\"\n"), text);
        assertTrue(text.contains("\nTimeoutStopSec=95\n"), "2 x 40 s + 15 s: " + text);
        assertTrue(text.contains("\nType=notify\n") && text.contains("\nKillMode=mixed\n"), text);

        assertEquals(text, z.ok("startup", "--user", "--print").out(), "--print shows what would be written");

        // what 'systemctl --user enable' does, so unstartup must clean it up
        Path wants = unit.resolveSibling("default.target.wants/zdm.service");
        Files.createDirectories(wants.getParent());
        Files.createSymbolicLink(wants, unit);

        var removed = z.ok("unstartup", "--user");
        assertTrue(removed.out().contains("removed " + unit), removed.toString());
        assertTrue(removed.out().contains("systemctl --user stop zdm; systemctl --user daemon-reload"), removed.toString());
        assertFalse(Files.exists(unit));
        assertFalse(Files.exists(wants, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertTrue(z.ok("unstartup", "--user").out().contains("nothing to remove"));
    }

    @Test
    void aUnitSomeoneElseWroteIsNeitherOverwrittenNorRemoved() throws Exception {
        Files.createDirectories(unit.getParent());
        Files.writeString(unit, "[Service]\nExecStart=/usr/bin/other\n");
        var w = z.zdm("startup", "--user");
        assertEquals(1, w.exitCode(), w.toString());
        assertTrue(w.err().contains("was not written by 'zdm startup'"), w.toString());
        var u = z.zdm("unstartup", "--user");
        assertEquals(1, u.exitCode(), u.toString());
        assertEquals("[Service]\nExecStart=/usr/bin/other\n", Files.readString(unit));
    }

    @Test
    void withoutALauncherPathItAsksForOne() {
        z.env.remove("ZDM_LAUNCHER");
        var r = z.zdm("startup", "--user", "--print");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--zdm"), r.toString());
        assertTrue(z.ok("startup", "--user", "--print", "--zdm", "/usr/local/zdm/bin/zdm").out()
                .contains("ExecStart=\"/usr/local/zdm/bin/zdm\" daemon"));
    }
}
