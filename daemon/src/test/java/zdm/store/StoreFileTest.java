package zdm.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** The store as a file on disk: creation, permissions, pragmas, persistence, refusals. */
class StoreFileTest {
    @TempDir Path dir;

    @Test
    void createsFileAndParentPrivately() throws Exception {
        var db = dir.resolve("home/.zdm/zdm.db");
        try (var store = Store.open(db)) {
            store.addEvent(null, null, "daemon", "started", null); // makes SQLite create the -wal file
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db.getParent())));
            // SQLite gives the log the database file's mode.
            var wal = db.resolveSibling("zdm.db-wal");
            assertTrue(Files.exists(wal));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(wal)));
        }
    }

    @Test
    void pragmasAreInForce() throws Exception {
        var db = dir.resolve("zdm.db");
        try (var store = Store.open(db)) {
            assertEquals("wal", store.pragma("journal_mode"));
            assertEquals("2", store.pragma("synchronous")); // 2 = FULL
            assertEquals("1", store.pragma("foreign_keys"));
            assertEquals(String.valueOf(Database.BUSY_TIMEOUT_MS), store.pragma("busy_timeout"));
            assertEquals(Migrations.latest(), store.schemaVersion());
        }
        // Seen from an independent connection: WAL is recorded in the file, and so is the schema.
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            try (var rs = st.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertEquals("wal", rs.getString(1));
            }
            try (var rs = st.executeQuery("PRAGMA user_version")) {
                rs.next();
                assertEquals(Migrations.latest(), rs.getInt(1));
            }
            try (var rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') "
                    + "AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
                var names = new java.util.ArrayList<String>();
                while (rs.next()) names.add(rs.getString(1));
                assertEquals(List.of("apps", "events", "events_app_id", "learned_ports", "workers"), names);
            }
        }
    }

    @Test
    void everythingSurvivesCloseAndReopen() {
        var db = dir.resolve("zdm.db");
        try (var store = Store.open(db)) {
            store.putApp(Specs.app("web"), true);
            store.putApp(Specs.app("api"), false);
            store.putWorker(Specs.worker("web", 0));
            store.putWorker(new WorkerRecord("api", 3, 0, 0, "stopped", 2, 1, null));
            store.addEvent("web", 0, "started", "pid 40000", 1000);
        }
        try (var store = Store.open(db)) {
            assertEquals(Migrations.latest(), store.schemaVersion());
            assertEquals(List.of(new StoredApp(Specs.app("web"), true), new StoredApp(Specs.app("api"), false)),
                    store.apps());
            assertEquals(List.of(Specs.worker("web", 0), new WorkerRecord("api", 3, 0, 0, "stopped", 2, 1, null)),
                    store.workers());
            var events = store.events(null, 10);
            assertEquals(1, events.size());
            assertEquals("pid 40000", events.getFirst().detail());
            // Still appends after the old rows (registration order continues).
            store.putApp(Specs.app("new"), true);
            assertEquals(List.of("web", "api", "new"), store.apps().stream().map(a -> a.spec().name()).toList());
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedAndLeftAlone() throws Exception {
        var db = dir.resolve("zdm.db");
        byte[] garbage = "this is not a database, just some text that is long enough to have a header\n".repeat(20)
                .getBytes(StandardCharsets.UTF_8);
        Files.write(db, garbage);

        var e = assertThrows(StoreException.class, () -> Store.open(db));
        assertTrue(e.getMessage().contains(db.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a valid zdm database"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertArrayEquals(garbage, Files.readAllBytes(db));
    }

    @Test
    void aNewerSchemaIsRefused() throws Exception {
        var db = dir.resolve("zdm.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            st.execute("PRAGMA user_version = 7");
        }
        var e = assertThrows(StoreException.class, () -> Store.open(db));
        assertEquals(db + " has schema version 7, this zdm knows up to " + Migrations.latest() + "; upgrade zdm", e.getMessage());
    }

    @Test
    void anUncreatableFileIsRefusedNamingIt() throws Exception {
        var blocker = dir.resolve("not-a-dir");
        Files.writeString(blocker, "x");
        var db = blocker.resolve("zdm.db");
        var e = assertThrows(StoreException.class, () -> Store.open(db));
        assertTrue(e.getMessage().startsWith("cannot create " + db + ": "), e.getMessage());
    }

    @Test
    void sqliteFailuresBecomeOneLineNamingTheFileAndTheFix() {
        var db = Path.of("/home/u/.zdm/zdm.db");
        assertEquals("cannot write /home/u/.zdm/zdm.db: disk full (SQLITE_FULL); free space and retry",
                message(db, SQLiteErrorCode.SQLITE_FULL));
        assertTrue(message(db, SQLiteErrorCode.SQLITE_READONLY).contains("read-only"));
        assertTrue(message(db, SQLiteErrorCode.SQLITE_READONLY_DBMOVED).contains("read-only"));
        assertTrue(message(db, SQLiteErrorCode.SQLITE_CANTOPEN).startsWith("cannot open /home/u/.zdm/zdm.db"));
        assertTrue(message(db, SQLiteErrorCode.SQLITE_CORRUPT).contains("not a valid zdm database"));
        assertTrue(message(db, SQLiteErrorCode.SQLITE_NOTADB).contains("not a valid zdm database"));
        assertTrue(message(db, SQLiteErrorCode.SQLITE_IOERR_FSYNC).contains("I/O error"));
        assertTrue(message(db, SQLiteErrorCode.SQLITE_BUSY).contains("another zdm daemon"));
        var other = StoreException.of(new SQLException("odd\nsecond line"), db, "read").getMessage();
        assertEquals("cannot read /home/u/.zdm/zdm.db: odd", other);
    }

    private static String message(Path db, SQLiteErrorCode code) {
        return StoreException.of(new SQLiteException("native text", code), db, "write").getMessage();
    }

    @Test
    void writesWorkAgainOnceAFullDatabaseHasRoom() throws Exception {
        Path db = dir.resolve("full.db");
        try (var store = Store.open(db)) {
            store.putApp(Specs.app("a"), true);
            store.pragma("max_page_count", Long.parseLong(store.pragma("page_count")));
            var full = assertThrows(StoreException.class, () -> {
                for (int i = 0; i < 1000; i++) store.addEvent("a", 0, "filler", "x".repeat(4000), null);
            });
            assertTrue(full.getMessage().contains("disk full (SQLITE_FULL)"), full.getMessage());
            store.pragma("max_page_count", 1_000_000);
            store.setDesired("a", false);
            store.addEvent("a", 0, "after", "room again", null);
        }
        try (var reopened = Store.open(db)) {
            assertEquals(false, reopened.app("a").orElseThrow().desiredRunning(), "the write after the failure was committed");
        }
    }
}
