package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A frozen daemon (SIGSTOP) does not hang the CLI: each request gives up with one line. */
@ExtendWith(ZdmHomes.class)
class FrozenDaemonIntegrationTest {
    ZdmHome z;
    long pid;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
        z.ok("ping");
        pid = z.daemonPid().orElseThrow();
    }

    @AfterEach
    void tearDown() throws Exception {
        signal("CONT");
    }

    @Test
    void aFrozenDaemonGetsAOneLineTimeoutNotAHang() throws Exception {
        z.env.put("ZDM_REPLY_TIMEOUT_MS", "3000");
        signal("STOP");
        for (var args : new String[][] {{"ls"}, {"describe", "nope"}, {"stop", "all"}}) {
            var r = z.zdm(args);
            assertEquals(3, r.exitCode(), r.toString());
            assertEquals(1, r.err().strip().lines().count(), r.toString());
            assertTrue(r.err().startsWith("zdm: the daemon sent nothing for 3.0 s, so it may be stuck"), r.toString());
        }
        signal("CONT");
        z.env.remove("ZDM_REPLY_TIMEOUT_MS");
        z.ok("ls");
    }

    private void signal(String name) throws Exception {
        new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor();
    }
}
