package zdm.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Symbolic links planted in logs/ (while the home was writable by someone else) are never followed:
 * not by writing a line, not by a size rotation, not by {@code zdm flush}.
 */
class PlantedLogLinksTest {
    @TempDir
    Path dir;

    @Test
    void aLinkInPlaceOfTheLogIsNotWrittenThroughNorTruncatedByFlush() throws Exception {
        var precious = Files.writeString(dir.resolve("precious"), "root's file\n");
        var logs = Files.createDirectory(dir.resolve("logs"));
        Files.createSymbolicLink(logs.resolve("web.out.log"), precious);
        try (var appLogs = new AppLogs(a -> logs.resolve(a + ".out.log"), a -> logs.resolve(a + ".err.log"))) {
            appLogs.line("web", 0, false, "API_KEY=secret");
            appLogs.note("web", "worker 0 started");
            var e = assertThrows(IOException.class, () -> appLogs.flush("web"));
            assertTrue(e.getMessage().contains("is a symbolic link"), e.getMessage());
        }
        assertEquals("root's file\n", Files.readString(precious));
        assertTrue(Files.isSymbolicLink(logs.resolve("web.out.log")));
    }

    @Test
    void linksInPlaceOfRotatedFilesAreReplacedByRotationAndDeletedByFlushNotFollowed() throws Exception {
        var logs = Files.createDirectory(dir.resolve("logs"));
        var precious = new Path[3];
        for (int i = 1; i <= 2; i++) {
            precious[i] = Files.writeString(dir.resolve("precious" + i), "keep " + i + "\n");
            Files.createSymbolicLink(logs.resolve("web.out.log." + i), precious[i]);
        }
        try (var appLogs = new AppLogs(a -> logs.resolve(a + ".out.log"), a -> logs.resolve(a + ".err.log"))) {
            appLogs.limits("web", 200, 2);
            for (int i = 0; i < 20; i++) appLogs.line("web", 0, false, "line " + i + " of some length to rotate soon");
            assertTrue(Files.isRegularFile(logs.resolve("web.out.log.2"), java.nio.file.LinkOption.NOFOLLOW_LINKS),
                    "rotation put a file of its own where the link was");
            appLogs.flush("web");
        }
        for (int i = 1; i <= 2; i++) assertEquals("keep " + i + "\n", Files.readString(precious[i]));
        assertEquals(0, Files.size(logs.resolve("web.out.log")));
        assertTrue(Files.readString(precious[1], StandardCharsets.UTF_8).startsWith("keep"));
    }
}
