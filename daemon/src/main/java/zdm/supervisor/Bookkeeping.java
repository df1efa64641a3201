package zdm.supervisor;

import zdm.daemon.DaemonLog;
import zdm.store.StoreException;

/**
 * Runs the store writes that record what the supervision loop already did (worker records, events).
 * They must not stop supervision: when the disk is full or the file became read-only, the workers
 * keep running and being restarted from memory, and the failure is logged once (not once per write,
 * which would fill a log on that same disk) until a write succeeds again. Requests that change a
 * desired state do not go through here: they fail, with the store's one-line reason, before acting.
 * Loop thread only.
 */
final class Bookkeeping {
    private String failing; // the message of the current failure, or null

    void write(Runnable storeWrite) {
        try {
            storeWrite.run();
            if (failing != null) {
                DaemonLog.info("the store is writable again; worker records and events are saved again");
                failing = null;
            }
        } catch (StoreException e) {
            if (!e.getMessage().equals(failing)) {
                DaemonLog.warn(e.getMessage() + "; the apps keep running, worker records and events are not saved");
                failing = e.getMessage();
            }
        }
    }
}
