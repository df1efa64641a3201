package zdm.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import zdm.protocol.EventView;

/**
 * The {@code events} table's SQL: the append-only event log, read newest-first by id and returned oldest first.
 * Runs inside a transaction of {@link Store}.
 */
final class EventRows {
    // The inner query picks the newest rows (using the (app, id) index when filtered), the outer one orders them.
    private static final String SELECT = """
            SELECT time_ms, app, worker, kind, detail, uid, id FROM (
                SELECT id, time_ms, app, worker, kind, detail, uid FROM events %s ORDER BY id DESC LIMIT ?
            ) ORDER BY id""";

    private EventRows() {}

    static int add(Connection c, long now, String app, Integer worker, String kind, String detail, Integer uid)
            throws SQLException {
        return Sql.update(c, "INSERT INTO events (time_ms, app, worker, kind, detail, uid) VALUES (?, ?, ?, ?, ?, ?)", st -> {
            st.setLong(1, now);
            st.setString(2, app);
            st.setObject(3, worker, Types.INTEGER);
            st.setString(4, kind);
            st.setString(5, detail);
            st.setObject(6, uid, Types.INTEGER);
        });
    }

    static List<EventView> newest(Connection c, String app, int limit, long sinceMs, long afterId) throws SQLException {
        String sql = SELECT.formatted("WHERE id > ? AND time_ms >= ?" + (app == null ? "" : " AND app = ?"));
        try (var st = c.prepareStatement(sql)) {
            st.setLong(1, afterId);
            st.setLong(2, sinceMs);
            int i = 3;
            if (app != null) st.setString(i++, app);
            st.setInt(i, limit);
            try (var rs = st.executeQuery()) {
                var out = new ArrayList<EventView>();
                while (rs.next()) {
                    out.add(new EventView(rs.getLong(1), rs.getString(2), Sql.nullableInt(rs, 3),
                            rs.getString(4), rs.getString(5), Sql.nullableInt(rs, 6), rs.getLong(7)));
                }
                return out;
            }
        }
    }

    static long count(Connection c, String app, long sinceMs) throws SQLException {
        String sql = "SELECT count(*) FROM events WHERE time_ms >= ?" + (app == null ? "" : " AND app = ?");
        try (var st = c.prepareStatement(sql)) {
            st.setLong(1, sinceMs);
            if (app != null) st.setString(2, app);
            try (var rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        }
    }
}
