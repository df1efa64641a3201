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

    /**
     * Writes {@code others}, then {@code file}, until the watch reports {@code file} (the watch registers directories on
     * its own thread); bounded. Returns every change reported meanwhile.
     */
    private static List<Path> writeUntilSeen(Path file, LinkedBlockingQueue<Path> changes, Path... others) throws Exception {
        var seen = new java.util.ArrayList<Path>();
        for (int i = 0; i < 100 && !seen.contains(file); i++) {
            for (Path other : others) Files.writeString(other, "// " + i);
            Files.writeString(file, "// " + i);
            for (Path p = changes.poll(100, TimeUnit.MILLISECONDS); p != null; p = changes.poll(10, TimeUnit.MILLISECONDS)) seen.add(p);
        }
        assertTrue(seen.contains(file), file + " is watched: " + seen);
        return seen;
    }

    /** pm2's ignore_watch: a glob matched against the path under the root and against each of its names. */
    @Test
    void ignoredNamesAreNotReportedAndDirectoriesMadeLaterAreWatched() throws Exception {
        Files.createDirectories(dir.resolve("src"));
        Files.createDirectories(dir.resolve("node_modules/pkg"));
        var changes = new LinkedBlockingQueue<Path>();
        try (var watch = FileWatch.start("web", List.of(dir), List.of("node_modules", "*.log"), null, changes::add)) {
            writeUntilSeen(dir.resolve("src/a.js"), changes); // a directory under the root, there from the start
            Files.writeString(dir.resolve("node_modules/pkg/index.js"), "x");
            Files.writeString(dir.resolve("out.log"), "x");
            Files.writeString(dir.resolve("src/b.log"), "x");
            var seen = writeUntilSeen(dir.resolve("src/marker.js"), changes);
            seen.addAll(writeUntilSeen(dir.resolve("marker.js"), changes));
            for (Path p = changes.poll(300, TimeUnit.MILLISECONDS); p != null; p = changes.poll(300, TimeUnit.MILLISECONDS)) seen.add(p);
            assertTrue(seen.stream().noneMatch(p -> p.toString().endsWith(".log") || p.toString().contains("node_modules")),
                    "ignored: " + seen);
            Files.createDirectories(dir.resolve("late/deeper"));
            writeUntilSeen(dir.resolve("late/deeper/c.js"), changes);
        }
    }

    /** A watched file (not a folder): only that file's changes count, not its neighbours'. */
    @Test
    void aFileRootReportsOnlyThatFile() throws Exception {
        Path app = dir.resolve("app.js");
        var changes = new LinkedBlockingQueue<Path>();
        try (var watch = FileWatch.start("web", List.of(app), List.of(), null, changes::add)) {
            var seen = writeUntilSeen(app, changes, dir.resolve("other.js"));
            for (Path p = changes.poll(300, TimeUnit.MILLISECONDS); p != null; p = changes.poll(300, TimeUnit.MILLISECONDS)) seen.add(p);
            assertTrue(seen.stream().allMatch(app::equals), "only " + app + ": " + seen);
        }
    }
}
