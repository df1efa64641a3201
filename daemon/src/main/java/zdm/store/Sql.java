package zdm.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The JDBC steps every table's class repeats: one bound statement that changes rows, and a nullable column. */
final class Sql {
    private Sql() {}

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement st) throws SQLException;
    }

    /** Runs one INSERT, UPDATE or DELETE with its parameters bound; returns how many rows it changed. */
    static int update(Connection c, String sql, Binder binder) throws SQLException {
        try (var st = c.prepareStatement(sql)) {
            binder.bind(st);
            return st.executeUpdate();
        }
    }

    /** A nullable INTEGER column (JDBC's getInt answers 0 for NULL). */
    static Integer nullableInt(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }
}
