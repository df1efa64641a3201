package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.proc.Posix;
import zdm.sys.UnixDatagram;

class NotifyDirTest {
    @TempDir
    Path tmp;

    private Path longHome() {
        return tmp.resolve("a-home-whose-path-is-far-too-long-for-a-unix-socket-address-".repeat(2)).resolve("h");
    }

    @Test
    void aShortHomeKeepsItsSocketsInside() throws IOException {
        var dir = NotifyDir.prepare(tmp.resolve("h"), null);
        assertEquals(tmp.resolve("h").resolve("notify"), dir.path());
        dir.remove();
        assertTrue(Files.isDirectory(dir.path()), "the home's own directory stays with the home");
    }

    @Test
    void aLongHomeGetsAPrivateShortDirectoryUnderTheRuntimeDirRemovedAtTheEnd() throws IOException {
        var runtime = Files.createDirectories(tmp.resolve("run"));
        var dir = NotifyDir.prepare(longHome(), runtime.toString());
        assertEquals(runtime, dir.path().getParent());
        assertTrue(dir.path().getFileName().toString().startsWith("zdm-" + Posix.getuid() + "-"), dir.path().toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.path())));
        var socket = dir.path().resolve(ProcessHandle.current().pid() + "-9999999999.sock");
        assertTrue(socket.toString().getBytes(StandardCharsets.UTF_8).length < UnixDatagram.MAX_ADDRESS_BYTES);
        try (var r = UnixDatagram.bind(socket)) {
            UnixDatagram.send(socket, "READY=1".getBytes(StandardCharsets.UTF_8));
            assertEquals("READY=1", r.receive(java.time.Duration.ofSeconds(5)).orElseThrow().text());
        }
        assertEquals(dir.path(), NotifyDir.prepare(longHome(), runtime.toString()).path(), "the same home, the same directory");
        dir.remove();
        assertFalse(Files.exists(dir.path(), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void withoutARuntimeDirItIsUnderTmp() throws IOException {
        var dir = NotifyDir.prepare(longHome(), null);
        try {
            assertEquals(Path.of("/tmp"), dir.path().getParent());
        } finally {
            dir.remove();
        }
    }

    @Test
    void aDirectoryThatIsNotPrivateIsRefusedNotUsed() throws IOException {
        var runtime = Files.createDirectories(tmp.resolve("run"));
        var first = NotifyDir.prepare(longHome(), runtime.toString()).path();
        Files.setPosixFilePermissions(first, PosixFilePermissions.fromString("rwxrwxrwx"));
        var e = assertThrows(IOException.class, () -> NotifyDir.prepare(longHome(), runtime.toString()));
        assertTrue(e.getMessage().contains("is not private"), e.getMessage());
        Files.delete(first);
        Files.createSymbolicLink(first, tmp);
        e = assertThrows(IOException.class, () -> NotifyDir.prepare(longHome(), runtime.toString()));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    }
}
