package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zdm.sys.UnixDatagram;

/**
 * Where the notify directory goes at the edge of a Unix socket address: a home whose {@code notify/} leaves just room
 * for a socket's name (and its terminating NUL) keeps it inside, one byte more moves it out; two long homes never
 * share a short directory.
 */
class NotifyDirBoundsTest {
    /** The longest {@code notify/} path that still fits: the path, a '/', the name's room, within the address less its NUL. */
    private static final int LONGEST = UnixDatagram.MAX_ADDRESS_BYTES - 1 - 1 - NotifyDir.NAME_ROOM;

    @TempDir
    Path tmp;

    /** A home whose {@code notify} directory's path is exactly {@code bytes} long. */
    private Path homeWithNotifyPathOf(int bytes) {
        int fixed = tmp.resolve("h").resolve("notify").toString().getBytes(StandardCharsets.UTF_8).length - 1;
        var home = tmp.resolve("h".repeat(bytes - fixed));
        assertEquals(bytes, home.resolve("notify").toString().getBytes(StandardCharsets.UTF_8).length);
        return home;
    }

    @Test
    void aNotifyPathThatJustFitsStaysInTheHome() throws IOException {
        var home = homeWithNotifyPathOf(LONGEST);
        var runtime = Files.createDirectories(tmp.resolve("run"));
        assertEquals(home.resolve("notify"), NotifyDir.prepare(home, runtime.toString()).path());
    }

    @Test
    void oneByteMoreMovesItToAShortDirectory() throws IOException {
        var runtime = Files.createDirectories(tmp.resolve("run"));
        var dir = NotifyDir.prepare(homeWithNotifyPathOf(LONGEST + 1), runtime.toString());
        assertEquals(runtime, dir.path().getParent());
        dir.remove();
    }

    @Test
    void twoLongHomesGetShortDirectoriesOfTheirOwn() throws IOException {
        var runtime = Files.createDirectories(tmp.resolve("run"));
        var one = NotifyDir.prepare(homeWithNotifyPathOf(LONGEST + 1), runtime.toString());
        var other = NotifyDir.prepare(homeWithNotifyPathOf(LONGEST + 2), runtime.toString());
        assertNotEquals(one.path(), other.path(), "a worker of one home must never reach the other daemon");
        one.remove();
        other.remove();
    }
}
