package zdm.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import zdm.config.AppSpec;
import zdm.protocol.EventView;

/**
 * The daemon's persistent state in one SQLite file: registered apps, their workers, and an event log.
 * Thread-safe: one JDBC connection, every public method synchronized, each one a transaction (a failed
 * call changes nothing). Failures are {@link StoreException}s with a one-line message naming the file.
 *
 * <p>Records of what already happened (worker records, events) can be queued with {@link #writeLater}
 * instead: a thread of the store writes everything queued in one transaction, so a reload of many
 * workers commits (and waits for the disk, synchronous=FULL) once per batch instead of several times
 * per worker, and the supervision loop never waits for the disk. Each queued write is a savepoint of
 * its own (one that fails is undone alone). Every other method first writes what is queued, so
 * readers see every queued write and the order of all writes is the order of the calls.
 */
public final class Store implements AutoCloseable {
    private static final String UPSERT_APP = """
            INSERT INTO apps (name, spec_json, desired, source, created_seq, updated_at)
            VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(created_seq), 0) + 1 FROM apps), ?)
            ON CONFLICT (name) DO UPDATE SET spec_json = excluded.spec_json, desired = excluded.desired,
                source = excluded.source, updated_at = excluded.updated_at""";
    // Not INSERT OR REPLACE: that deletes the old row, which would cascade to its workers and lose its position.
    private static final String UPSERT_WORKER = """
            INSERT INTO workers (app, id, pid, start_time_ms, state, restarts, last_exit_code, last_signal, updated_at,
                other_pid, other_start_time_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (app, id) DO UPDATE SET pid = excluded.pid, start_time_ms = excluded.start_time_ms,
                state = excluded.state, restarts = excluded.restarts, last_exit_code = excluded.last_exit_code,
                last_signal = excluded.last_signal, updated_at = excluded.updated_at,
                other_pid = excluded.other_pid, other_start_time_ms = excluded.other_start_time_ms""";
    private static final String SELECT_WORKERS = """
            SELECT w.app, w.id, w.pid, w.start_time_ms, w.state, w.restarts, w.last_exit_code, w.last_signal,
                w.other_pid, w.other_start_time_ms
            FROM workers w JOIN apps a ON a.name = w.app ORDER BY a.created_seq, w.id""";
    // The inner query picks the newest rows (using the (app, id) index when filtered), the outer one orders them.
    private static final String SELECT_EVENTS = """
            SELECT time_ms, app, worker, kind, detail, uid, id FROM (
                SELECT id, time_ms, app, worker, kind, detail, uid FROM events %s ORDER BY id DESC LIMIT ?
            ) ORDER BY id""";

    private final Connection conn;
    private final Path dbFile;
    private boolean closed;
    private final LaterWrites later = new LaterWrites(this);
    /** True while queued writes run: each of their transactions is a savepoint in the batch's one. */
    private boolean batching;

    private Store(Connection conn, Path dbFile) {
        this.conn = conn;
        this.dbFile = dbFile;
    }

    /**
     * Creates the file (mode 0600) and its parent (mode 0700) if missing, sets WAL + synchronous=FULL +
     * foreign keys + a busy timeout, and applies pending migrations. Refuses a file that is not a
     * database and a schema newer than this code knows; never deletes or moves anything.
     */
    public static Store open(Path dbFile) throws StoreException {
        Path db = dbFile.toAbsolutePath().normalize();
        return new Store(Database.open(db), db);
    }

    public synchronized int schemaVersion() {
        return tx("read", Database::userVersion);
    }

    /** Inserts or replaces the app's spec; an existing app keeps its registration position and its workers. */
    public synchronized void putApp(AppSpec spec, boolean desiredRunning) {
        putApps(List.of(spec), desiredRunning);
    }

    /** Like {@link #putApp} for each spec, all in one transaction: either every spec is stored or none. */
    public synchronized void putApps(List<AppSpec> specs, boolean desiredRunning) {
        putApps(specs, spec -> desiredRunning);
    }

    /** Like {@link #putApps(List, boolean)}, with each spec's desired state. */
    public synchronized void putApps(List<AppSpec> specs, java.util.function.Predicate<AppSpec> desiredRunning) {
        long now = System.currentTimeMillis();
        tx("write", c -> {
            try (var st = c.prepareStatement(UPSERT_APP)) {
                for (var spec : specs) {
                    st.setString(1, spec.name());
                    st.setString(2, encode(spec));
                    st.setInt(3, desiredRunning.test(spec) ? 1 : 0);
                    st.setString(4, spec.source());
                    st.setLong(5, now);
                    st.executeUpdate();
                }
            }
            return null;
        });
    }

    /** @throws IllegalArgumentException when no app of that name is registered */
    public synchronized void setDesired(String app, boolean running) {
        int changed = tx("write", c -> {
            try (var st = c.prepareStatement("UPDATE apps SET desired = ?, updated_at = ? WHERE name = ?")) {
                st.setInt(1, running ? 1 : 0);
                st.setLong(2, System.currentTimeMillis());
                st.setString(3, app);
                return st.executeUpdate();
            }
        });
        if (changed == 0) throw new IllegalArgumentException("no app named '" + app + "' in " + dbFile);
    }

    /** Removes the app and (by the foreign key's cascade) its workers; its events stay. Unknown app: no-op. */
    public synchronized void deleteApp(String app) {
        update("DELETE FROM apps WHERE name = ?", st -> st.setString(1, app));
    }

    /** In the order the apps were first registered. */
    public synchronized List<StoredApp> apps() {
        return tx("read", c -> {
            try (var st = c.prepareStatement("SELECT name, spec_json, desired FROM apps ORDER BY created_seq")) {
                return storedApps(st);
            }
        });
    }

    public synchronized Optional<StoredApp> app(String name) {
        return tx("read", c -> {
            try (var st = c.prepareStatement("SELECT name, spec_json, desired FROM apps WHERE name = ?")) {
                st.setString(1, name);
                return storedApps(st).stream().findFirst();
            }
        });
    }

    /** Inserts or updates the worker (app, id); the app must be registered. */
    public synchronized void putWorker(WorkerRecord w) {
        update(UPSERT_WORKER, st -> {
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

    public synchronized void deleteWorker(String app, int id) {
        update("DELETE FROM workers WHERE app = ? AND id = ?", st -> {
            st.setString(1, app);
            st.setInt(2, id);
        });
    }

    public synchronized void deleteWorkers(String app) {
        update("DELETE FROM workers WHERE app = ?", st -> st.setString(1, app));
    }

    /** Ordered by the app's registration order, then worker id. */
    public synchronized List<WorkerRecord> workers() {
        return tx("read", c -> {
            try (var st = c.prepareStatement(SELECT_WORKERS); var rs = st.executeQuery()) {
                var out = new ArrayList<WorkerRecord>();
                while (rs.next()) {
                    out.add(new WorkerRecord(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4),
                            rs.getString(5), rs.getInt(6), nullableInt(rs, 7), rs.getString(8), rs.getLong(9), rs.getLong(10)));
                }
                return out;
            }
        });
    }

    /** Appends an event stamped with the current time; app and worker may be null (daemon-wide events). */
    /** Remembers where a Node app without port: listens (see {@link zdm.net.ListenAddress}). */
    public synchronized void rememberPort(String app, zdm.net.ListenAddress where) {
        update("INSERT INTO learned_ports (app, port, host) VALUES (?, ?, ?)"
                + " ON CONFLICT (app) DO UPDATE SET port = excluded.port, host = excluded.host", st -> {
                    st.setString(1, app);
                    st.setInt(2, where.port());
                    if (where.host() == null) st.setNull(3, Types.VARCHAR); else st.setString(3, where.host());
                });
    }

    /** Where the app was last seen to listen, if it ever was (an unreadable row counts as none). */
    public synchronized Optional<zdm.net.ListenAddress> rememberedPort(String app) {
        return tx("read", c -> {
            try (var st = c.prepareStatement("SELECT port, host FROM learned_ports WHERE app = ?")) {
                st.setString(1, app);
                try (var rs = st.executeQuery()) {
                    if (!rs.next()) return Optional.<zdm.net.ListenAddress>empty();
                    try {
                        return Optional.of(new zdm.net.ListenAddress(rs.getInt(1), rs.getString(2)));
                    } catch (IllegalArgumentException e) {
                        return Optional.<zdm.net.ListenAddress>empty();
                    }
                }
            }
        });
    }

    public synchronized void addEvent(String app, Integer worker, String kind, String detail, Integer uid) {
        addEvent(System.currentTimeMillis(), app, worker, kind, detail, uid);
    }

    /** Appends an event that happened at {@code now} (epoch ms). */
    public synchronized void addEvent(long now, String app, Integer worker, String kind, String detail, Integer uid) {
        update("INSERT INTO events (time_ms, app, worker, kind, detail, uid) VALUES (?, ?, ?, ?, ?, ?)", st -> {
            st.setLong(1, now);
            st.setString(2, app);
            st.setObject(3, worker, Types.INTEGER);
            st.setString(4, kind);
            st.setString(5, detail);
            st.setObject(6, uid, Types.INTEGER);
        });
    }

    /** The newest {@code limit} events, returned oldest first; app null = all apps. */
    public synchronized List<EventView> events(String app, int limit) {
        return events(app, limit, 0, 0);
    }

    /**
     * The newest {@code limit} events with a time at or after {@code sinceMs} and an id above
     * {@code afterId}, oldest first; app null = all apps (and the daemon's own events).
     */
    public synchronized List<EventView> events(String app, int limit, long sinceMs, long afterId) {
        if (limit < 0) throw new IllegalArgumentException("event limit must be >= 0, got " + limit);
        String sql = SELECT_EVENTS.formatted("WHERE id > ? AND time_ms >= ?" + (app == null ? "" : " AND app = ?"));
        return tx("read", c -> {
            try (var st = c.prepareStatement(sql)) {
                st.setLong(1, afterId);
                st.setLong(2, sinceMs);
                int i = 3;
                if (app != null) st.setString(i++, app);
                st.setInt(i, limit);
                try (var rs = st.executeQuery()) {
                    var out = new ArrayList<EventView>();
                    while (rs.next()) {
                        out.add(new EventView(rs.getLong(1), rs.getString(2), nullableInt(rs, 3),
                                rs.getString(4), rs.getString(5), nullableInt(rs, 6), rs.getLong(7)));
                    }
                    return out;
                }
            }
        });
    }

    /** How many events have a time at or after {@code sinceMs}; app null = all (and the daemon's own). */
    public synchronized long countEvents(String app, long sinceMs) {
        String sql = "SELECT count(*) FROM events WHERE time_ms >= ?" + (app == null ? "" : " AND app = ?");
        return tx("read", c -> {
            try (var st = c.prepareStatement(sql)) {
                st.setLong(1, sinceMs);
                if (app != null) st.setString(2, app);
                try (var rs = st.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    /**
     * Queues {@code write} (a call of this store's methods) to run on the store's thread; {@code failed}
     * gets what it throws, there. Never waits for the disk or for the store's lock.
     */
    public void writeLater(Runnable write, LaterWrites.Outcome outcome) {
        later.add(write, outcome);
    }

    /** Runs the queued writes in one transaction. Caller holds the lock. */
    void runQueued() {
        if (batching || closed || !later.hasQueued()) return;
        batching = true;
        try {
            later.runAll(() -> {
                try {
                    conn.commit();
                } catch (SQLException e) {
                    throw rolledBack(StoreException.of(e, dbFile, "write"));
                }
            });
        } finally {
            batching = false;
        }
    }

    /** Idempotent: writes what is queued first. Later calls of other methods fail with a StoreException. */
    @Override
    public synchronized void close() {
        if (closed) return;
        later.stop();   // from here on writeLater fails at once
        runQueued();
        closed = true;
        try {
            conn.close();
        } catch (SQLException e) {
            throw StoreException.of(e, dbFile, "close");
        }
    }

    /** For tests: sets a numeric pragma (max_page_count makes the database "full" without filling a disk). */
    synchronized void pragma(String name, long value) {
        if (!name.matches("[a-z_]+")) throw new IllegalArgumentException("not a pragma name: " + name);
        tx("write", c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("PRAGMA " + name + " = " + value)) {
                return rs.next();
            }
        });
    }

    /** For tests: the value of a per-connection pragma such as synchronous or foreign_keys. */
    synchronized String pragma(String name) {
        if (!name.matches("[a-z_]+")) throw new IllegalArgumentException("not a pragma name: " + name);
        return tx("read", c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("PRAGMA " + name)) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement st) throws SQLException;
    }

    /** Runs work and commits; on any failure rolls back so nothing of it is visible. Caller holds the lock. */
    private <T> T tx(String verb, Work<T> work) {
        if (closed) throw new StoreException("the store " + dbFile + " is already closed; this is a zdm bug, please report it");
        if (batching) return savepoint(verb, work);
        runQueued();
        try {
            T result = work.run(conn);
            conn.commit();
            return result;
        } catch (SQLException e) {
            throw rolledBack(StoreException.of(e, dbFile, verb));
        } catch (RuntimeException e) {
            throw rolledBack(e);
        }
    }

    /** One queued write inside the batch's transaction: undone alone if it fails. Caller holds the lock. */
    private <T> T savepoint(String verb, Work<T> work) {
        java.sql.Savepoint sp;
        try {
            sp = conn.setSavepoint();
        } catch (SQLException e) {
            throw StoreException.of(e, dbFile, verb);
        }
        try {
            T result = work.run(conn);
            conn.releaseSavepoint(sp);
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                conn.rollback(sp);
                conn.releaseSavepoint(sp);
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e instanceof SQLException q ? StoreException.of(q, dbFile, verb) : (RuntimeException) e;
        }
    }

    private void update(String sql, Binder binder) {
        tx("write", c -> {
            try (var st = c.prepareStatement(sql)) {
                binder.bind(st);
                return st.executeUpdate();
            }
        });
    }

    private RuntimeException rolledBack(RuntimeException e) {
        try {
            conn.rollback();
        } catch (SQLException suppressed) {
            e.addSuppressed(suppressed);
            // On SQLITE_FULL or an I/O error SQLite has already rolled the transaction back itself, so the
            // driver's ROLLBACK fails and it never opens the next transaction: every later write would then
            // autocommit and its commit() fail ("no transaction is active") even after space is freed.
            try (var st = conn.createStatement()) {
                st.execute("BEGIN");
            } catch (SQLException stillOpen) {
                e.addSuppressed(stillOpen); // the transaction was still open after all: nothing to repair
            }
        }
        return e;
    }

    private List<StoredApp> storedApps(PreparedStatement st) throws SQLException {
        try (var rs = st.executeQuery()) {
            var out = new ArrayList<StoredApp>();
            while (rs.next()) out.add(new StoredApp(decode(rs.getString(1), rs.getString(2)), rs.getInt(3) != 0));
            return out;
        }
    }

    private String encode(AppSpec spec) {
        try {
            return SpecJson.write(spec);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot store app '" + spec.name() + "' in " + dbFile + ": "
                    + e.getOriginalMessage() + "; this is a zdm bug, please report it", e);
        }
    }

    private AppSpec decode(String name, String json) {
        try {
            return SpecJson.read(json);
        } catch (JsonProcessingException e) {
            throw new StoreException("the stored configuration of app '" + name + "' in " + dbFile
                    + " is unreadable (" + e.getOriginalMessage() + "); delete the app and start it again", e);
        }
    }

    private static Integer nullableInt(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }
}
