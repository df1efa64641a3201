package zdm.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A home is used only if it is the user's own, and nothing in it is opened through a symbolic link. */
class PrivateHomeTest {
    @TempDir
    Path dir;

    @Test
    void aMissingHomeIsCreatedPrivateWithItsDirectories() throws Exception {
        var home = dir.resolve("a/h");
        PrivateHome.secure(home, "logs", "logs/capture");
        for (var d : new Path[] {home, home.resolve("logs"), home.resolve("logs/capture")}) {
            assertEquals("rwx------", mode(d), d.toString());
        }
    }

    @Test
    void aHomeOthersMayOnlyReadIsTightened() throws Exception {
        var home = Files.createDirectory(dir.resolve("h"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        PrivateHome.secure(home);
        assertEquals("rwx------", mode(home));
    }

    @Test
    void aHomeOthersMayWriteIsRefusedAndLeftAsItIs() throws Exception {
        var home = Files.createDirectory(dir.resolve("h"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
        var e = assertThrows(PrivateHome.UntrustedHomeException.class, () -> PrivateHome.secure(home, "logs"));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains("writable by others") && e.getMessage().contains("chmod go-w " + home), e.getMessage());
        assertEquals("rwxrwxrwx", mode(home), "not tightened: it is refused");
        assertFalse(Files.exists(home.resolve("logs")), "nothing created in it");
    }

    @Test
    void aGroupWritableDirectoryInTheHomeIsRefused() throws Exception {
        var home = Files.createDirectory(dir.resolve("h"));
        var deep = Files.createDirectories(home.resolve("logs/capture"));
        Files.setPosixFilePermissions(deep, PosixFilePermissions.fromString("rwxrwx---"));
        var e = assertThrows(PrivateHome.UntrustedHomeException.class, () -> PrivateHome.secure(home, "logs"));
        assertTrue(e.getMessage().startsWith(deep + " is writable by its group"), e.getMessage());
    }

    @Test
    void aLinkWhereADirectoryBelongsIsRefusedAndNotFollowed() throws Exception {
        var home = Files.createDirectory(dir.resolve("h"));
        var elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Files.createSymbolicLink(home.resolve("logs"), elsewhere);
        var e = assertThrows(PrivateHome.UntrustedHomeException.class, () -> PrivateHome.secure(home, "logs", "logs/capture"));
        assertTrue(e.getMessage().contains("is a symbolic link"), e.getMessage());
        assertFalse(Files.exists(elsewhere.resolve("capture")), "nothing created through the link");
    }

    @Test
    @org.junit.jupiter.api.Tag("root")
    void aHomeOfAnotherUserIsRefusedAndItsPlantedLinksUntouched() throws Exception {
        assumeTrue(Posix.getuid() == 0, "needs root to give a directory to a second user");
        int peer = peerUid();
        var home = Files.createDirectory(dir.resolve("h"));
        var precious = Files.writeString(dir.resolve("precious"), "root's\n");
        Files.createSymbolicLink(home.resolve("daemon.pid"), precious);
        Files.setAttribute(home, "unix:uid", peer);
        var e = assertThrows(PrivateHome.UntrustedHomeException.class, () -> PrivateHome.secure(home, "logs"));
        assertTrue(e.getMessage().startsWith(home + " belongs to uid " + peer + ", not to uid 0"), e.getMessage());
        assertTrue(e.getMessage().contains("set ZDM_HOME to a directory you own"), e.getMessage());
        assertEquals("root's\n", Files.readString(precious));
        assertFalse(Files.exists(home.resolve("logs")));
    }

    @Test
    @org.junit.jupiter.api.Tag("non-root")
    void anOrdinaryUserRefusesAHomeOfRoot() throws Exception {
        assumeTrue(Posix.getuid() != 0, "for root a home of root is its own");
        var e = assertThrows(PrivateHome.UntrustedHomeException.class, () -> PrivateHome.secure(Path.of("/")));
        assertTrue(e.getMessage().startsWith("/ belongs to uid 0, not to uid " + Posix.getuid()), e.getMessage());
    }

    @Test
    void filesAreNeverOpenedThroughALink() throws Exception {
        var precious = Files.writeString(dir.resolve("precious"), "keep\n");
        var link = Files.createSymbolicLink(dir.resolve("daemon.pid"), precious);
        assertLinkRefused(assertThrows(IOException.class, () -> PrivateHome.writeString(link, "1234\n")));
        assertLinkRefused(assertThrows(IOException.class, () -> PrivateHome.append(link)));
        assertLinkRefused(assertThrows(IOException.class, () -> PrivateHome.truncate(link)));
        assertLinkRefused(assertThrows(IOException.class, () -> PrivateHome.channel(link, java.nio.file.StandardOpenOption.READ)));
        assertEquals("keep\n", Files.readString(precious));
    }

    @Test
    void appendCreatesAPrivateFileAndAppends() throws Exception {
        var f = dir.resolve("web.out.log");
        try (var out = PrivateHome.append(f)) {
            out.write("one\n".getBytes(StandardCharsets.UTF_8));
        }
        try (var out = PrivateHome.append(f)) {
            out.write("two\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("one\ntwo\n", Files.readString(f));
        assertEquals("rw-------", mode(f));
        PrivateHome.truncate(f);
        assertEquals(0, Files.size(f));
    }

    private static void assertLinkRefused(IOException e) {
        assertTrue(e.getMessage().contains("is a symbolic link"), e.getMessage());
    }

    static int peerUid() throws Exception {
        var p = new ProcessBuilder("id", "-u", "zdm-peer").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "bin/test creates the user zdm-peer");
        return Integer.parseInt(out);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
