package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWatchTest {
    @TempDir
    Path dir;

    /** zdm run from the app's folder keeps its home there: zdm's own writes must not reload the app forever. */
    @Test
    void zdmsHomeUnderAWatchedFolderIsNotWatched() throws Exception {
        Path home = Files.createDirectories(dir.resolve("h"));
        var changes = new LinkedBlockingQueue<Path>();
        try (var watch = FileWatch.start("web", List.of(dir), List.of(), home, changes::add)) {
            // the watch registers its directories on its own thread: retry until a change is seen
            Path app = dir.resolve("app.js");
            Path seen = null;
            for (int i = 0; i < 100 && seen == null; i++) {
                Files.writeString(home.resolve("zdm.db-wal"), "x" + i);
                Files.writeString(app, "// " + i);
                seen = changes.poll(100, TimeUnit.MILLISECONDS);
            }
            assertEquals(app, seen, "the app's own file is watched");
            Files.writeString(home.resolve("zdm.db-wal"), "more");
            Files.writeString(home.resolve("daemon.log"), "a line");
            Path late = changes.poll(500, TimeUnit.MILLISECONDS);
            while (late != null && late.equals(app)) late = changes.poll(500, TimeUnit.MILLISECONDS);
            assertTrue(late == null, "nothing under zdm's home is reported: " + late);
        }
    }
}
