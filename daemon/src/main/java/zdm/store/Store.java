package zdm.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import zdm.config.AppSpec;
import zdm.net.ListenAddress;
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
 *
 * <p>This class owns the lock and the queue; {@link Transactions} owns the connection and runs each call as
 * a transaction (or a savepoint); each table's SQL is in a class of its own ({@link AppRows},
 * {@link WorkerRows}, {@link EventRows}, {@link LearnedPortRows}), called inside them.
 */
public final class Store implements AutoCloseable {
    private final Path dbFile;
    private final LaterWrites later = new LaterWrites(this);
    private final Transactions transactions;

    private Store(Connection conn, Path dbFile) {
        this.dbFile = dbFile;
        this.transactions = new Transactions(conn, dbFile, this::runQueued);
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
        return transactions.run("read", Database::userVersion);
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
    public synchronized void putApps(List<AppSpec> specs, Predicate<AppSpec> desiredRunning) {
        long now = System.currentTimeMillis();
        transactions.run("write", c -> {
            AppRows.put(c, specs, desiredRunning, now, dbFile);
            return null;
        });
    }

    /** @throws IllegalArgumentException when no app of that name is registered */
    public synchronized void setDesired(String app, boolean running) {
        int changed = transactions.run("write", c -> AppRows.setDesired(c, app, running));
        if (changed == 0) throw new IllegalArgumentException("no app named '" + app + "' in " + dbFile);
    }

    /** Removes the app and (by the foreign key's cascade) its workers; its events stay. Unknown app: no-op. */
    public synchronized void deleteApp(String app) {
        transactions.run("write", c -> AppRows.delete(c, app));
    }

    /** In the order the apps were first registered. */
    public synchronized List<StoredApp> apps() {
        return transactions.run("read", c -> AppRows.all(c, dbFile));
    }

    public synchronized Optional<StoredApp> app(String name) {
        return transactions.run("read", c -> AppRows.named(c, name, dbFile));
    }

    /** Inserts or updates the worker (app, id); the app must be registered. */
    public synchronized void putWorker(WorkerRecord w) {
        transactions.run("write", c -> WorkerRows.put(c, w));
    }

    public synchronized void deleteWorker(String app, int id) {
        transactions.run("write", c -> WorkerRows.delete(c, app, id));
    }

    public synchronized void deleteWorkers(String app) {
        transactions.run("write", c -> WorkerRows.deleteAll(c, app));
    }

    /** Ordered by the app's registration order, then worker id. */
    public synchronized List<WorkerRecord> workers() {
        return transactions.run("read", WorkerRows::all);
    }

    /** Remembers where a Node app without port: listens (see {@link ListenAddress}). */
    public synchronized void rememberPort(String app, ListenAddress where) {
        transactions.run("write", c -> LearnedPortRows.put(c, app, where));
    }

    /** Where the app was last seen to listen, if it ever was (an unreadable row counts as none). */
    public synchronized Optional<ListenAddress> rememberedPort(String app) {
        return transactions.run("read", c -> LearnedPortRows.of(c, app));
    }

    /** Appends an event stamped with the current time; app and worker may be null (daemon-wide events). */
    public synchronized void addEvent(String app, Integer worker, String kind, String detail, Integer uid) {
        addEvent(System.currentTimeMillis(), app, worker, kind, detail, uid);
    }

    /** Appends an event that happened at {@code now} (epoch ms). */
    public synchronized void addEvent(long now, String app, Integer worker, String kind, String detail, Integer uid) {
        transactions.run("write", c -> EventRows.add(c, now, app, worker, kind, detail, uid));
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
        return transactions.run("read", c -> EventRows.newest(c, app, limit, sinceMs, afterId));
    }

    /** How many events have a time at or after {@code sinceMs}; app null = all (and the daemon's own). */
    public synchronized long countEvents(String app, long sinceMs) {
        return transactions.run("read", c -> EventRows.count(c, app, sinceMs));
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
        if (transactions.batching() || transactions.closed() || !later.hasQueued()) return;
        transactions.batch(later::runAll);
    }

    /** Idempotent: writes what is queued first. Later calls of other methods fail with a StoreException. */
    @Override
    public synchronized void close() {
        if (transactions.closed()) return;
        later.stop();   // from here on writeLater fails at once
        runQueued();
        transactions.close();
    }

    /** For tests: sets a numeric pragma (max_page_count makes the database "full" without filling a disk). */
    synchronized void pragma(String name, long value) {
        if (!name.matches("[a-z_]+")) throw new IllegalArgumentException("not a pragma name: " + name);
        transactions.run("write", c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("PRAGMA " + name + " = " + value)) {
                return rs.next();
            }
        });
    }

    /** For tests: the value of a per-connection pragma such as synchronous or foreign_keys. */
    synchronized String pragma(String name) {
        if (!name.matches("[a-z_]+")) throw new IllegalArgumentException("not a pragma name: " + name);
        return transactions.run("read", c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("PRAGMA " + name)) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }
}
