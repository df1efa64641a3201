package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.proc.Posix;
import zdm.test.Await;

/**
 * A home another user controls is never used: not by the CLI (which would write daemon.log there)
 * nor by the daemon, and what was planted in it stays as it was.
 */
@ExtendWith(ZdmHomes.class)
class HomeTrustIntegrationTest {
    ZdmHome z;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
    }

    @Test
    @org.junit.jupiter.api.Tag("root")
    void aHomeOwnedByAnotherUserIsRefusedAndItsPlantedLinksAreUntouched() throws Exception {
        assumeTrue(Posix.getuid() == 0, "needs root to prepare a home as a second user");
        int peer = peerUid();
        Files.createDirectory(z.home);
        var precious = Map.of("daemon.pid", "pid target\n", "daemon.log", "log target\n", "zdm.db", "db target\n",
                "daemon.lock", "lock target\n");
        for (var e : precious.entrySet()) {
            var target = Files.writeString(z.dir.resolve("root-" + e.getKey()), e.getValue());
            Files.createSymbolicLink(z.home.resolve(e.getKey()), target);
        }
        var elsewhere = Files.createDirectory(z.dir.resolve("root-logs"));
        Files.createSymbolicLink(z.home.resolve("logs"), elsewhere);
        Files.setAttribute(z.home, "unix:uid", peer);

        var r = z.zdm("ping");
        assertRefused(r, z.home + " belongs to uid " + peer + ", not to uid 0");
        var daemon = z.zdm("daemon");
        assertRefused(daemon, z.home + " belongs to uid " + peer);

        for (var e : precious.entrySet()) assertEquals(e.getValue(), Files.readString(z.dir.resolve("root-" + e.getKey())), e.getKey());
        try (var files = Files.list(elsewhere)) {
            assertEquals(0, files.count(), "nothing written through the planted logs link");
        }
        assertEquals(peer, Files.getAttribute(z.home, "unix:uid"));
    }

    @Test
    void aHomeEveryoneMayWriteIsRefused() throws Exception {
        Files.createDirectory(z.home);
        Files.setPosixFilePermissions(z.home, PosixFilePermissions.fromString("rwxrwxrwx"));
        var r = z.zdm("ls");
        assertRefused(r, z.home + " is writable by others (mode rwxrwxrwx)");
        assertTrue(r.err().contains("chmod go-w " + z.home), r.err());
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(z.home)));
        try (var files = Files.list(z.home)) {
            assertEquals(0, files.count(), "nothing created in it");
        }
        // Fixed as the message says, the same home serves.
        Files.setPosixFilePermissions(z.home, PosixFilePermissions.fromString("rwx------"));
        z.ok("ping");
    }

    @Test
    void aPlantedDatabaseLinkInAnOwnHomeIsNotFollowed() throws Exception {
        Files.createDirectory(z.home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        var target = Files.writeString(z.dir.resolve("not-a-db"), "precious\n");
        Files.createSymbolicLink(z.paths().database(), target);
        var r = z.zdm("ping");
        assertNotEquals(0, r.exitCode(), r.toString());
        assertEquals("precious\n", Files.readString(target));
        assertTrue(Files.isSymbolicLink(z.paths().database()), "left as it was");
    }

    @Test
    @org.junit.jupiter.api.Tag("root")
    void aFakeDaemonOfAnotherUserIsRefusedBeforeAnyRequestIsSent() throws Exception {
        assumeTrue(Posix.getuid() == 0, "needs root to run a fake daemon as a second user");
        int peer = peerUid();
        // The attacker owns the home and serves its own zdm.sock, recording what it receives.
        Files.setPosixFilePermissions(z.dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectory(z.home);
        Files.setAttribute(z.home, "unix:uid", peer);
        var received = z.dir.resolve("received");
        Files.writeString(received, "");
        Files.setAttribute(received, "unix:uid", peer);
        var fake = new ProcessBuilder("runuser", "-u", SecurityIntegrationTest.PEER_USER, "--", "python3", "-c", """
                import socket, sys
                s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(8)
                while True:
                    c, _ = s.accept(); c.settimeout(3); got = b''
                    try:
                        while len(got) < 65536:
                            b = c.recv(65536)
                            if not b: break
                            got += b
                    except OSError: pass
                    open(sys.argv[2], 'ab').write(b'connection: %d bytes\\n' % len(got)); c.close()
                """, z.paths().socket().toString(), received.toString()).redirectErrorStream(true)
                .redirectOutput(z.dir.resolve("fake.out").toFile()).start();
        try {
            Await.until(ZdmHome.SHORT, () -> Files.exists(z.paths().socket()), "the fake daemon listens");
            z.env.put("API_KEY", "hunter2");
            z.file("app.js", "setInterval(() => {}, 1000);\n");
            for (var args : new String[][] {{"ping"}, {"ls"}, {"start", "app.js", "--name", "x"}}) {
                var r = z.zdm(args);
                assertRefused(r, "the process serving " + z.paths().socket() + " runs as user '"
                        + SecurityIntegrationTest.PEER_USER + "', not as you");
            }
            Await.until(ZdmHome.SHORT, () -> text(received).lines().count() >= 3, "the fake saw the connections");
            assertTrue(Files.readString(received).lines().allMatch(l -> l.equals("connection: 0 bytes")), Files.readString(received));
        } finally {
            // runuser does not pass a SIGKILL on: end the fake python itself, or it outlives the test
            fake.descendants().forEach(ProcessHandle::destroyForcibly);
            fake.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String text(Path f) {
        try {
            return Files.readString(f);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static void assertRefused(CliResult r, String start) {
        assertNotEquals(0, r.exitCode(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r);
        assertTrue(r.err().contains(start), r.toString());
        assertFalse(r.err().contains("Exception"), r.toString());
    }

    private static int peerUid() throws Exception {
        var p = new ProcessBuilder("id", "-u", SecurityIntegrationTest.PEER_USER).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "bin/test creates the user zdm-peer");
        return Integer.parseInt(out);
    }
}
