package zdm.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code workers} table's SQL: one row per worker slot, with its process and the slot's second process (a
 * reload's candidate or an old worker), so that a restarted daemon finds both. Runs inside a transaction of
 * {@link Store}.
 */
final class WorkerRows {
    private static final String UPSERT = """
            INSERT INTO workers (app, id, pid, start_time_ms, state, restarts, last_exit_code, last_signal, updated_at,
                other_pid, other_start_time_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (app, id) DO UPDATE SET pid = excluded.pid, start_time_ms = excluded.start_time_ms,
                state = excluded.state, restarts = excluded.restarts, last_exit_code = excluded.last_exit_code,
                last_signal = excluded.last_signal, updated_at = excluded.updated_at,
                other_pid = excluded.other_pid, other_start_time_ms = excluded.other_start_time_ms""";
    private static final String SELECT = """
            SELECT w.app, w.id, w.pid, w.start_time_ms, w.state, w.restarts, w.last_exit_code, w.last_signal,
                w.other_pid, w.other_start_time_ms
            FROM workers w JOIN apps a ON a.name = w.app ORDER BY a.created_seq, w.id""";

    private WorkerRows() {}

    static int put(Connection c, WorkerRecord w) throws SQLException {
        return Sql.update(c, UPSERT, st -> {
            st.setString(1, w.app());
            st.setInt(2, w.id());
            st.setLong(3, w.pid());
            st.setLong(4, w.startTimeMs());
            st.setString(5, w.state());
            st.setInt(6, w.restarts());
            st.setObject(7, w.lastExitCode(), Types.INTEGER);
            st.setString(8, w.lastSignal());
            st.setLong(9, System.currentTimeMillis());
            st.setLong(10, w.otherPid());
            st.setLong(11, w.otherStartTimeMs());
        });
    }

    static int delete(Connection c, String app, int id) throws SQLException {
        return Sql.update(c, "DELETE FROM workers WHERE app = ? AND id = ?", st -> {
            st.setString(1, app);
            st.setInt(2, id);
        });
    }

    static int deleteAll(Connection c, String app) throws SQLException {
        return Sql.update(c, "DELETE FROM workers WHERE app = ?", st -> st.setString(1, app));
    }

    /** Ordered by the app's registration order, then worker id. */
    static List<WorkerRecord> all(Connection c) throws SQLException {
        try (var st = c.prepareStatement(SELECT); var rs = st.executeQuery()) {
            var out = new ArrayList<WorkerRecord>();
            while (rs.next()) {
                out.add(new WorkerRecord(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4),
                        rs.getString(5), rs.getInt(6), Sql.nullableInt(rs, 7), rs.getString(8), rs.getLong(9), rs.getLong(10)));
            }
            return out;
        }
    }
}
