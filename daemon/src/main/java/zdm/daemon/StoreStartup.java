package zdm.daemon;

import java.io.IOException;
import java.nio.file.Files;
import zdm.log.DaemonLog;
import zdm.proc.PrivateHome;
import zdm.protocol.Paths;
import zdm.store.Store;
import zdm.store.StoreException;

/** The daemon's store at start-up: opened, or a damaged or empty one moved aside (never deleted). */
final class StoreStartup {
    private StoreStartup() {}

    /** Events only record: a full or read-only disk must not stop the daemon from starting or from stopping its workers. */
    static void daemonEvent(Store store, String kind, String detail) {
        try {
            store.addEvent(null, null, kind, detail, null);
        } catch (StoreException e) {
            DaemonLog.warn(e.getMessage() + "; the " + kind + " event is not saved");
        }
    }

    /**
     * A damaged or emptied zdm.db is never deleted and never fatal: it is moved aside (with its WAL
     * files) for inspection and the daemon starts with an empty state. The loss is never silent: it
     * is the first event of the new store, and the next CLI command prints it ({@link Paths#stateLost}).
     * Other store failures (permissions, a full disk, a newer schema) stop the start-up with their
     * one-line fix.
     */
    static Store open(Paths paths) throws StartupException {
        String lost = null;
        try {
            if (isEmptyFile(paths.database())) {
                lost = "was empty (0 bytes)";
            } else {
                return Store.open(paths.database());
            }
        } catch (StoreException e) {
            if (!e.isCorruption()) throw new StartupException(e.getMessage());
            lost = "was damaged (" + e.getMessage() + ")";
        }
        var aside = paths.database().resolveSibling("zdm.db." + (lost.startsWith("was empty") ? "empty-" : "corrupt-")
                + System.currentTimeMillis());
        try {
            Files.move(paths.database(), aside);
            for (var suffix : new String[] {"-wal", "-shm"}) {
                var f = paths.database().resolveSibling("zdm.db" + suffix);
                if (Files.exists(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.move(f, aside.resolveSibling(aside.getFileName() + suffix));
            }
        } catch (IOException io) {
            throw new StartupException(paths.database() + " " + lost + "; moving it aside failed: " + io.getMessage());
        }
        String message = "the zdm state " + paths.database() + " " + lost + "; it was moved to " + aside
                + " and the daemon started with no apps: register them again with 'zdm start <ecosystem file>'";
        DaemonLog.warn(message);
        Store store;
        try {
            store = Store.open(paths.database());
            store.addEvent(null, null, "state-lost", message, null);
        } catch (StoreException again) {
            throw new StartupException(again.getMessage());
        }
        try {
            PrivateHome.writeString(paths.stateLost(), message + "\n");
        } catch (IOException io) {
            DaemonLog.warn("cannot write " + paths.stateLost() + ": " + io.getMessage());
        }
        return store;
    }

    private static boolean isEmptyFile(java.nio.file.Path f) {
        try {
            return Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.size(f) == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
