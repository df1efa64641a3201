package zdm.net;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How many backend connections each worker has open, and who waits for a worker to have none (a drain before stop).
 * Thread-safe; futures are completed outside the lock so their callbacks never run while it is held.
 */
final class WorkerConnections {
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Integer, Integer> open = new HashMap<>(); // guarded by lock; a worker with none is absent
    private final Map<Integer, List<CompletableFuture<Void>>> idleWaiters = new HashMap<>(); // guarded by lock

    void opened(int workerId) {
        lock.lock();
        try {
            open.merge(workerId, 1, Integer::sum);
        } finally {
            lock.unlock();
        }
    }

    void closed(int workerId) {
        List<CompletableFuture<Void>> nowIdle = null;
        lock.lock();
        try {
            Integer left = open.computeIfPresent(workerId, (id, count) -> count == 1 ? null : count - 1);
            if (left == null) nowIdle = idleWaiters.remove(workerId);
        } finally {
            lock.unlock();
        }
        if (nowIdle != null) nowIdle.forEach(waiter -> waiter.complete(null));
    }

    Map<Integer, Integer> snapshot() {
        lock.lock();
        try {
            return Map.copyOf(open);
        } finally {
            lock.unlock();
        }
    }

    CompletableFuture<Void> whenIdle(int workerId) {
        lock.lock();
        try {
            if (!open.containsKey(workerId)) return CompletableFuture.completedFuture(null);
            var waiter = new CompletableFuture<Void>();
            idleWaiters.computeIfAbsent(workerId, id -> new ArrayList<>()).add(waiter);
            return waiter;
        } finally {
            lock.unlock();
        }
    }
}
