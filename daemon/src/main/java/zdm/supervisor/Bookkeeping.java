package zdm.supervisor;

import zdm.log.DaemonLog;
import zdm.store.LaterWrites;
import zdm.store.Store;
import zdm.store.StoreException;

/**
 * Runs the store writes that record what the supervision loop already did (worker records, events).
 * They must not stop supervision: when the disk is full or the file became read-only, the workers
 * keep running and being restarted from memory, and the failure is logged once (not once per write,
 * which would fill a log on that same disk) until a write succeeds again. Requests that change a
 * desired state do not go through here: they fail, with the store's one-line reason, before acting.
 *
 * <p>The writes are queued ({@link Store#writeLater}): the loop never waits for the disk, and the
 * store commits many of them at once. Thread-safe.
 */
final class Bookkeeping implements LaterWrites.Outcome {
    private final Store store;
    private String failing; // the message of the current failure, or null; guarded by this

    Bookkeeping(Store store) {
        this.store = store;
    }

    void write(Runnable storeWrite) {
        store.writeLater(storeWrite, this);
    }

    @Override
    public synchronized void written() {
        if (failing != null) {
            DaemonLog.info("the store is writable again; worker records and events are saved again");
            failing = null;
        }
    }

    @Override
    public synchronized void failed(RuntimeException e) {
        if (!(e instanceof StoreException)) {
            DaemonLog.warn("a worker record or event was not saved: " + e);
            return;
        }
        if (!e.getMessage().equals(failing)) {
            DaemonLog.warn(e.getMessage() + "; the apps keep running, worker records and events are not saved");
            failing = e.getMessage();
        }
    }
}
