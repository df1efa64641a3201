package zdm.store;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/** Opens the SQLite file: creates it privately, sets the connection's pragmas, applies migrations. Stateless. */
final class Database {
    static final int BUSY_TIMEOUT_MS = 5_000;
    private static final int SQLITE_OPEN_NOFOLLOW = 0x01000000;

    private Database() {}

    /** Returns a connection in manual-commit mode with the schema at {@link Migrations#latest()}. */
    static Connection open(Path db) {
        createPrivately(db);
        Connection conn;
        try {
            // No SQLITE_OPEN_CREATE: the file was created above with mode 0600, and SQLite must not create
            // one with the umask's mode should it disappear in between.
            // SQLITE_OPEN_NOFOLLOW (no SQLiteOpenMode constant for it): a database path that is a symbolic
            // link is refused, never followed.
            var props = new java.util.Properties();
            props.setProperty(SQLiteConfig.Pragma.OPEN_MODE.pragmaName, Integer.toString(
                    SQLiteOpenMode.READWRITE.flag | SQLITE_OPEN_NOFOLLOW));
            var config = new SQLiteConfig(props);
            conn = config.createConnection("jdbc:sqlite:" + db);
        } catch (SQLException e) {
            throw StoreException.of(e, db, "open");
        }
        try {
            configure(conn, db);
            migrate(conn, db);
            return conn;
        } catch (SQLException e) {
            throw closing(conn, StoreException.of(e, db, "open"));
        } catch (RuntimeException e) {
            throw closing(conn, e);
        }
    }

    /** The state holds commands and environments (possibly secrets): only the owner may read it. */
    private static void createPrivately(Path db) {
        Path parent = db.getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw cannotCreate(db, parent, e);
        }
        try {
            Files.createFile(db, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // An existing file is opened as it is; open() reports it if it is not a database.
        } catch (IOException e) {
            throw cannotCreate(db, parent, e);
        }
    }

    private static StoreException cannotCreate(Path db, Path parent, IOException e) {
        String why = switch (e) {
            case AccessDeniedException a -> "permission denied on " + a.getFile();
            case NoSuchFileException n -> "no such file or directory " + n.getFile();
            case FileAlreadyExistsException f -> f.getFile() + " exists and is not a directory";
            default -> e.getMessage();
        };
        return new StoreException("cannot create " + db + ": " + why + "; make "
                + (parent == null ? "its directory" : parent) + " a directory writable by this user", e);
    }

    private static void configure(Connection conn, Path db) throws SQLException {
        try (var st = conn.createStatement()) {
            st.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
            // The first statement that reads the file: a file that is not a database fails here (SQLITE_NOTADB).
            String mode;
            try (var rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
                mode = rs.next() ? rs.getString(1) : "unknown";
            }
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new StoreException("cannot use write-ahead logging on " + db + " (journal mode stays "
                        + mode + "); put the zdm home on a local filesystem");
            }
            // FULL: in WAL mode every commit fsyncs the log, so an acknowledged change survives power loss.
            st.execute("PRAGMA synchronous = FULL");
            st.execute("PRAGMA foreign_keys = ON");
        }
    }

    private static void migrate(Connection conn, Path db) throws SQLException {
        int current = userVersion(conn);
        int latest = Migrations.latest();
        if (current > latest) {
            throw new StoreException(db + " has schema version " + current + ", this zdm knows up to " + latest
                    + "; upgrade zdm");
        }
        // Manual commit from here on (not earlier: journal_mode cannot change inside a transaction).
        conn.setAutoCommit(false);
        for (int v = current; v < latest; v++) {
            try (var st = conn.createStatement()) {
                st.executeUpdate(Migrations.SCRIPTS.get(v));
                st.executeUpdate("PRAGMA user_version = " + (v + 1));
                conn.commit();
            } catch (SQLException e) {
                var failure = StoreException.of(e, db, "upgrade");
                try {
                    conn.rollback();
                } catch (SQLException suppressed) {
                    failure.addSuppressed(suppressed);
                }
                throw failure;
            }
        }
    }

    static int userVersion(Connection conn) throws SQLException {
        try (var st = conn.createStatement(); var rs = st.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static RuntimeException closing(Connection conn, RuntimeException e) {
        try {
            conn.close();
        } catch (SQLException suppressed) {
            e.addSuppressed(suppressed);
        }
        return e;
    }
}
