package zdm.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.function.Consumer;

/**
 * How every call of {@link Store} reaches the database: one transaction per call, committed, or rolled back so
 * that nothing of a failed call is visible; while the queued writes run ({@link #batch}), one savepoint per call
 * inside the batch's one transaction, so that a write that fails is undone alone. Owns the connection. Not
 * thread-safe: used under the store's lock.
 */
final class Transactions {
    private final Connection conn;
    private final Path dbFile;
    /** Writes what is queued before a call of its own ({@link Store#runQueued}), so the order of writes is the order of the calls. */
    private final Runnable beforeEach;
    private boolean closed;
    /** True while queued writes run: each of their transactions is a savepoint in the batch's one. */
    private boolean batching;

    Transactions(Connection conn, Path dbFile, Runnable beforeEach) {
        this.conn = conn;
        this.dbFile = dbFile;
        this.beforeEach = beforeEach;
    }

    /** Runs {@code writes} with the batch's commit to call; each {@link #run} inside it is a savepoint. */
    void batch(Consumer<Runnable> writes) {
        batching = true;
        try {
            writes.accept(() -> {
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

    /** From here on every {@link #run} fails with a StoreException. */
    void close() {
        closed = true;
        try {
            conn.close();
        } catch (SQLException e) {
            throw StoreException.of(e, dbFile, "close");
        }
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    boolean closed() { return closed; }

    boolean batching() { return batching; }

    /** Runs work and commits; on any failure rolls back so nothing of it is visible. Caller holds the lock. */
    <T> T run(String verb, Work<T> work) {
        if (closed) throw new StoreException("the store " + dbFile + " is already closed; this is a zdm bug, please report it");
        if (batching) return savepoint(verb, work);
        beforeEach.run();
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
        Savepoint sp;
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
}
