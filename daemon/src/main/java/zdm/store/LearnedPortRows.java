package zdm.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Optional;
import zdm.net.ListenAddress;

/**
 * The {@code learned_ports} table's SQL: where a Node app without {@code port:} was seen to listen, kept across
 * {@code delete} so that its next start binds the same port before any worker runs. Runs inside a transaction of
 * {@link Store}.
 */
final class LearnedPortRows {
    private LearnedPortRows() {}

    static int put(Connection c, String app, ListenAddress where) throws SQLException {
        return Sql.update(c, "INSERT INTO learned_ports (app, port, host) VALUES (?, ?, ?)"
                + " ON CONFLICT (app) DO UPDATE SET port = excluded.port, host = excluded.host", st -> {
                    st.setString(1, app);
                    st.setInt(2, where.port());
                    if (where.host() == null) st.setNull(3, Types.VARCHAR); else st.setString(3, where.host());
                });
    }

    /** An unreadable row counts as none. */
    static Optional<ListenAddress> of(Connection c, String app) throws SQLException {
        try (var st = c.prepareStatement("SELECT port, host FROM learned_ports WHERE app = ?")) {
            st.setString(1, app);
            try (var rs = st.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                try {
                    return Optional.of(new ListenAddress(rs.getInt(1), rs.getString(2)));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
    }
}
