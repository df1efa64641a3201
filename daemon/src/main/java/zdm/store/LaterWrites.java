package zdm.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * The queue behind {@link Store#writeLater}, and the one platform thread that empties it: it takes the
 * store's lock and writes everything queued in one transaction (what arrives while it waits for the
 * disk goes into the next one). Adding never blocks. Thread-safe.
 */
public final class LaterWrites {
    /** Where a queued write's result goes; called on the thread that wrote it, under the store's lock. */
    public interface Outcome {
        void written();

        void failed(RuntimeException e);
    }

    private record Queued(Runnable write, Outcome outcome) {}

    private final Store store;
    private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final Semaphore wakeUp = new Semaphore(0);
    private Thread thread;   // guarded by this
    private volatile boolean stopped;

    LaterWrites(Store store) {
        this.store = store;
    }

    void add(Runnable write, Outcome outcome) {
        if (stopped) {
            outcome.failed(new StoreException("the store is already closed; this is a zdm bug, please report it"));
            return;
        }
        queue.add(new Queued(write, outcome));
        startThread();
        wakeUp.release();
    }

    boolean hasQueued() {
        return !queue.isEmpty();
    }

    /** Runs every queued write, then {@code commit}; a failed commit fails each write of the batch. Caller holds the store's lock. */
    void runAll(Runnable commit) {
        List<Queued> batch = new ArrayList<>();
        for (Queued q; (q = queue.poll()) != null; ) batch.add(q);
        List<Queued> done = new ArrayList<>(batch.size());
        for (Queued q : batch) {
            try {
                q.write.run();
                done.add(q);
            } catch (RuntimeException e) {
                q.outcome.failed(e);
            }
        }
        try {
            commit.run();
        } catch (RuntimeException e) {
            for (Queued q : done) q.outcome.failed(e);
            return;
        }
        for (Queued q : done) q.outcome.written();
    }

    void stop() {
        stopped = true;
        wakeUp.release();
    }

    private synchronized void startThread() {
        if (thread != null) return;
        thread = Thread.ofPlatform().daemon().name("zdm-store").start(this::run);
    }

    private void run() {
        while (!stopped) {
            wakeUp.acquireUninterruptibly();
            wakeUp.drainPermits();   // one batch serves every write queued so far
            try {
                synchronized (store) {
                    store.runQueued();
                }
            } catch (RuntimeException e) {
                // each write's outcome was told; the thread must outlive any one batch
            }
        }
    }
}
