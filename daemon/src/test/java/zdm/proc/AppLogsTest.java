package zdm.proc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppLogsTest {
    private static final Pattern LINE = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (.*)");

    @TempDir
    Path dir;
    private AppLogs logs;

    @BeforeEach
    void open() {
        logs = new AppLogs(app -> dir.resolve("logs").resolve(app + "-out.log"), app -> dir.resolve("logs").resolve(app + "-err.log"));
    }

    @AfterEach
    void close() {
        logs.close();
    }

    private Path out(String app) {
        return dir.resolve("logs").resolve(app + "-out.log");
    }

    private Path err(String app) {
        return dir.resolve("logs").resolve(app + "-err.log");
    }

    @Test
    void writesTimestampedLinesWithWorkerIdToPrivateFiles() throws Exception {
        logs.line("web", 2, false, "listening on 3000");
        logs.line("web", 0, true, "warning: x");
        logs.note("web", "worker 2 started");

        List<String> outLines = Files.readAllLines(out("web"));
        assertEquals(2, outLines.size());
        var m = LINE.matcher(outLines.get(0));
        assertTrue(m.matches(), outLines.get(0));
        assertEquals("web[2] listening on 3000", m.group(1));
        assertTrue(outLines.get(1).endsWith(" web[zdm] worker 2 started"), outLines.get(1));
        List<String> errLines = Files.readAllLines(err("web"));
        assertEquals(1, errLines.size());
        assertTrue(errLines.get(0).endsWith("Z web[0] warning: x"), errLines.get(0));

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out("web"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(err("web"))));
    }

    @Test
    void appendsToExistingFilesAndKeepsOneLinePerCall() throws Exception {
        Files.createDirectories(out("web").getParent());
        Files.writeString(out("web"), "2026-01-01T00:00:00.000Z web[0] old\n");
        logs.line("web", 1, false, "two\nlines");
        List<String> lines = Files.readAllLines(out("web"));
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).endsWith("web[1] two lines"), lines.get(1));
    }

    @Test
    void tailMergesOutAndErrByTimeOldestFirst() throws Exception {
        Files.createDirectories(out("web").getParent());
        Files.writeString(out("web"), String.join("\n",
                "2026-01-01T00:00:01.000Z web[0] o1",
                "2026-01-01T00:00:03.000Z web[0] o3",
                "  continuation without a timestamp",
                "2026-01-01T00:00:05.000Z web[0] o5") + "\n");
        Files.writeString(err("web"), String.join("\n",
                "2026-01-01T00:00:02.000Z web[0] e2",
                "2026-01-01T00:00:03.000Z web[0] e3",
                "2026-01-01T00:00:04.000Z web[0] e4") + "\n");

        List<AppLogs.Entry> all = logs.tail("web", 100);
        assertEquals(List.of("o1", "e2", "o3", "  continuation without a timestamp", "e3", "e4", "o5"),
                all.stream().map(e -> text(e.line())).toList());
        assertEquals(List.of(false, true, false, false, true, true, false), all.stream().map(AppLogs.Entry::err).toList());

        assertEquals(List.of("e4", "o5"), logs.tail("web", 2).stream().map(e -> text(e.line())).toList());
        assertEquals(List.of(), logs.tail("nothing-here", 5));
    }

    @Test
    void tailReadsOnlyTheEndOfLargeFiles() throws Exception {
        for (int i = 0; i < 3000; i++) logs.line("big", 0, false, "line " + i + " " + "x".repeat(i % 50));
        List<AppLogs.Entry> last = logs.tail("big", 3);
        assertEquals(List.of("line 2997", "line 2998", "line 2999"),
                last.stream().map(e -> text(e.line()).replaceAll(" x*$", "")).toList());
    }

    @Test
    void followReceivesNewLinesOfItsAppUntilClosed() throws Exception {
        var web = new CopyOnWriteArrayList<AppLogs.Entry>();
        var everything = new CopyOnWriteArrayList<AppLogs.Entry>();
        logs.line("web", 0, false, "before");
        AutoCloseable sub = logs.follow("web", web::add);
        AutoCloseable all = logs.follow(null, everything::add);
        logs.line("web", 0, false, "a");
        logs.line("api", 0, true, "b");
        logs.note("web", "c");
        sub.close();
        logs.line("web", 0, false, "after close");
        all.close();
        logs.line("web", 0, false, "after both");
        assertEquals(List.of("a", "c"), web.stream().map(e -> text(e.line())).toList());
        assertEquals(List.of("a", "b", "c", "after close"), everything.stream().map(e -> text(e.line())).toList());
        assertTrue(everything.get(1).err());
        assertTrue(LINE.matcher(web.get(0).line()).matches(), "followers get the line as written");
    }

    @Test
    void aThrowingFollowerAndWritesAfterCloseAreHarmless() throws Exception {
        var seen = new ArrayList<String>();
        logs.follow("web", e -> { throw new IllegalStateException("broken"); });
        logs.follow("web", e -> seen.add(text(e.line())));
        logs.line("web", 0, false, "x");
        assertEquals(List.of("x"), seen);
        logs.close();
        assertDoesNotThrow(() -> logs.line("web", 0, false, "dropped"));
        assertEquals(1, Files.readAllLines(out("web")).size());
    }

    /** The text after "<time> <app>[<worker>] ", or the whole line when it has no such prefix. */
    private static String text(String line) {
        var m = LINE.matcher(line);
        if (!m.matches()) return line;
        String rest = m.group(1);
        return rest.substring(rest.indexOf("] ") + 2);
    }

    @Test
    void rotatesBySizeWithoutLosingOrSplittingALine() throws Exception {
        logs.limits("web", 1000, 3);
        for (int i = 0; i < 100; i++) logs.line("web", 0, false, "line " + i + " " + "x".repeat(40));
        var files = new ArrayList<Path>();
        files.add(out("web"));
        for (int i = 1; i <= 4; i++) files.add(LogFile.rotated(out("web"), i));
        assertTrue(Files.exists(files.get(3)), "three rotated files are kept");
        assertTrue(!Files.exists(files.get(4)), "no fourth rotated file");
        var kept = new ArrayList<String>();
        for (int i = 3; i >= 0; i--) {
            assertTrue(Files.size(files.get(i)) <= 1000, files.get(i) + " is " + Files.size(files.get(i)) + " bytes");
            kept.addAll(Files.readAllLines(files.get(i)));
        }
        // every line whole and in order, the newest ones kept: the oldest were dropped with the oldest file
        for (int k = 0; k < kept.size(); k++) {
            var m = LINE.matcher(kept.get(k));
            assertTrue(m.matches(), kept.get(k));
            assertEquals("web[0] line " + (100 - kept.size() + k) + " " + "x".repeat(40), m.group(1));
        }
        assertTrue(kept.size() >= 40, "about four files of ~14 lines: " + kept.size());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out("web"))));
    }

    @Test
    void aBatchOfLinesRotatesBetweenLinesAndKeepsEachLineAsASingleLineWouldBe() throws Exception {
        logs.limits("web", 1000, 3);
        var batch = new LineBatch();
        for (int i = 0; i < 100; i++) {
            byte[] b = ("line " + i + " " + "x".repeat(40)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            batch.add(b, 0, b.length);
        }
        byte[] odd = {'c', 'a', 'f', (byte) 0xC3, (byte) 0xA9, ' ', (byte) 0xFF, '\r'}; // UTF-8, a malformed byte, CRLF's CR
        batch.add(odd, 0, odd.length);
        var followed = new CopyOnWriteArrayList<String>();
        try (var sub = logs.follow("web", e -> followed.add(e.line()))) {
            logs.lines("web", 2, false, batch);
        }
        var kept = new ArrayList<String>();
        for (int i = 3; i >= 1; i--) {
            var f = LogFile.rotated(out("web"), i);
            assertTrue(Files.size(f) <= 1000, f + " is " + Files.size(f) + " bytes");
            kept.addAll(Files.readAllLines(f));
        }
        kept.addAll(Files.readAllLines(out("web")));
        assertTrue(!Files.exists(LogFile.rotated(out("web"), 4)), "no fourth rotated file");
        for (int k = 0; k < kept.size() - 1; k++) {
            assertEquals("web[2] line " + (101 - kept.size() + k) + " " + "x".repeat(40), withWorker(kept.get(k)));
        }
        assertEquals("web[2] caf\u00e9 \ufffd", withWorker(kept.getLast()));
        assertEquals(101, followed.size(), "followers get every line, also the rotated-away ones");
        assertEquals(kept.getLast(), followed.getLast());
    }

    private static String withWorker(String line) {
        var m = LINE.matcher(line);
        assertTrue(m.matches(), line);
        return m.group(1);
    }

    @Test
    void tailContinuesIntoTheNewestRotatedFile() throws Exception {
        logs.limits("web", 500, 1);
        for (int i = 0; i < 10; i++) logs.line("web", 0, false, "line " + i + " " + "y".repeat(60));
        int inCurrent = Files.readAllLines(out("web")).size();
        assertTrue(inCurrent < 8, "the current file holds only the last few: " + inCurrent);
        var tail = logs.tail("web", 8);
        assertEquals(8, tail.size());
        assertTrue(tail.getLast().line().contains("line 9 "), tail.getLast().line());
        assertTrue(tail.getFirst().line().contains("line 2 "), tail.getFirst().line());
    }

    @Test
    void flushEmptiesBothFilesDeletesRotatedOnesAndLoggingGoesOn() throws Exception {
        logs.limits("web", 300, 2);
        for (int i = 0; i < 20; i++) logs.line("web", 0, i % 2 == 0, "line " + i + " " + "z".repeat(40));
        assertTrue(Files.exists(LogFile.rotated(out("web"), 1)));
        logs.flush("web");
        assertEquals(0, Files.size(out("web")));
        assertEquals(0, Files.size(err("web")));
        assertTrue(!Files.exists(LogFile.rotated(out("web"), 1)) && !Files.exists(LogFile.rotated(err("web"), 1)));
        logs.line("web", 1, false, "after flush");
        assertEquals(1, Files.readAllLines(out("web")).size());
        assertTrue(logs.tail("web", 10).getFirst().line().endsWith("web[1] after flush"));
    }

    @Test
    void tailOfOnlyOneStream() throws Exception {
        logs.line("web", 0, false, "to out");
        logs.line("web", 0, true, "to err");
        assertEquals(List.of(true), logs.tail("web", 10, false, true).stream().map(AppLogs.Entry::err).toList());
        assertEquals(List.of(false), logs.tail("web", 10, true, false).stream().map(AppLogs.Entry::err).toList());
    }
}
