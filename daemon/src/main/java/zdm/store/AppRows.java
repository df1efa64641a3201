package zdm.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import zdm.config.AppSpec;

/**
 * The {@code apps} table's SQL: each registered app's spec (as {@link SpecJson}), whether it should run, and its
 * registration position. Runs inside a transaction of {@link Store}, which owns the connection and the lock;
 * {@code dbFile} only names the file in messages.
 */
final class AppRows {
    // Not INSERT OR REPLACE: that deletes the old row, which would cascade to its workers and lose its position.
    private static final String UPSERT = """
            INSERT INTO apps (name, spec_json, desired, source, created_seq, updated_at)
            VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(created_seq), 0) + 1 FROM apps), ?)
            ON CONFLICT (name) DO UPDATE SET spec_json = excluded.spec_json, desired = excluded.desired,
                source = excluded.source, updated_at = excluded.updated_at""";

    private AppRows() {}

    static void put(Connection c, List<AppSpec> specs, Predicate<AppSpec> desiredRunning, long now, Path dbFile)
            throws SQLException {
        try (var st = c.prepareStatement(UPSERT)) {
            for (var spec : specs) {
                st.setString(1, spec.name());
                st.setString(2, encode(spec, dbFile));
                st.setInt(3, desiredRunning.test(spec) ? 1 : 0);
                st.setString(4, spec.source());
                st.setLong(5, now);
                st.executeUpdate();
            }
        }
    }

    /** How many rows changed: 0 when no app of that name is registered. */
    static int setDesired(Connection c, String app, boolean running) throws SQLException {
        return Sql.update(c, "UPDATE apps SET desired = ?, updated_at = ? WHERE name = ?", st -> {
            st.setInt(1, running ? 1 : 0);
            st.setLong(2, System.currentTimeMillis());
            st.setString(3, app);
        });
    }

    static int delete(Connection c, String app) throws SQLException {
        return Sql.update(c, "DELETE FROM apps WHERE name = ?", st -> st.setString(1, app));
    }

    static List<StoredApp> all(Connection c, Path dbFile) throws SQLException {
        try (var st = c.prepareStatement("SELECT name, spec_json, desired FROM apps ORDER BY created_seq")) {
            return read(st, dbFile);
        }
    }

    static Optional<StoredApp> named(Connection c, String name, Path dbFile) throws SQLException {
        try (var st = c.prepareStatement("SELECT name, spec_json, desired FROM apps WHERE name = ?")) {
            st.setString(1, name);
            return read(st, dbFile).stream().findFirst();
        }
    }

    private static List<StoredApp> read(PreparedStatement st, Path dbFile) throws SQLException {
        try (var rs = st.executeQuery()) {
            var out = new ArrayList<StoredApp>();
            while (rs.next()) out.add(new StoredApp(decode(rs.getString(1), rs.getString(2), dbFile), rs.getInt(3) != 0));
            return out;
        }
    }

    private static String encode(AppSpec spec, Path dbFile) {
        try {
            return SpecJson.write(spec);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot store app '" + spec.name() + "' in " + dbFile + ": "
                    + e.getOriginalMessage() + "; this is a zdm bug, please report it", e);
        }
    }

    private static AppSpec decode(String name, String json, Path dbFile) {
        try {
            return SpecJson.read(json);
        } catch (JsonProcessingException e) {
            throw new StoreException("the stored configuration of app '" + name + "' in " + dbFile
                    + " is unreadable (" + e.getOriginalMessage() + "); delete the app and start it again", e);
        }
    }
}
