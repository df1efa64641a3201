package zdm.store;

import java.nio.file.Path;
import java.sql.SQLException;
import org.sqlite.SQLiteException;

/** A store failure; the message is one user-facing line naming the database file and the fix. */
public final class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when the file is damaged or not a database at all (SQLITE_CORRUPT, SQLITE_NOTADB). */
    public boolean isCorruption() {
        if (!(getCause() instanceof SQLiteException se) || se.getResultCode() == null) return false;
        int primary = se.getResultCode().code & 0xff;
        return primary == 11 || primary == 26;
    }

    /**
     * Translates a JDBC failure into one line. {@code verb} is what we were doing ("open", "read", "write").
     * Extended result codes (e.g. SQLITE_IOERR_FSYNC) are grouped by their primary code, the low byte.
     */
    static StoreException of(SQLException e, Path db, String verb) {
        var code = e instanceof SQLiteException se ? se.getResultCode() : null;
        int primary = code == null ? -1 : code.code & 0xff;
        String name = code == null ? "" : code.name();
        String message = switch (primary) {
            case 13 -> "cannot " + verb + " " + db + ": disk full (" + name + "); free space and retry";
            case 8 -> "cannot " + verb + " " + db + ": the database is read-only (" + name
                    + "); make the file and its directory writable by this user";
            case 14 -> name.endsWith("_SYMLINK") ? "cannot open " + db + ": it is a symbolic link (" + name
                    + "), which zdm never follows in its home; remove it (or move the database it points to in its place)"
                    : "cannot open " + db + " (" + name
                    + "); check that its directory exists and is writable by this user";
            case 11, 26 -> db + " is not a valid zdm database (" + name
                    + "); move it aside (zdm starts with an empty state) or restore it from a backup";
            case 5, 6 -> "cannot " + verb + " " + db + ": the database is locked (" + name
                    + "); is another zdm daemon using it? stop it and retry";
            case 10 -> "cannot " + verb + " " + db + ": I/O error (" + name + "); check the disk and retry";
            case 23 -> "cannot " + verb + " " + db + ": permission denied (" + name
                    + "); make the file and its directory accessible to this user";
            default -> "cannot " + verb + " " + db + ": " + firstLine(e.getMessage());
        };
        return new StoreException(message, e);
    }

    private static String firstLine(String s) {
        if (s == null || s.isBlank()) return "unknown database error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
