package zdm.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import zdm.net.Traffic;

/**
 * The monotonic counters of one app that nothing else keeps: the worker's restart count shown by
 * {@code ls} is reset by a user's start, a Prometheus counter must not be. Written from the
 * supervision loop and the proxy, read by scrapes. Thread-safe, lock-free.
 */
public final class AppCounters {
    private final Traffic traffic = new Traffic();
    private final Map<Integer, LongAdder> restarts = new ConcurrentHashMap<>();
    private final LongAdder reloadsOk = new LongAdder();
    private final LongAdder reloadsFailed = new LongAdder();
    private final LongAdder reloadMillis = new LongAdder();
    private final LongAdder readinessFailures = new LongAdder();

    public Traffic traffic() { return traffic; }

    public void restarted(int worker) {
        restarts.computeIfAbsent(worker, id -> new LongAdder()).increment();
    }

    public long restarts(int worker) {
        var n = restarts.get(worker);
        return n == null ? 0 : n.sum();
    }

    public void reloaded(boolean ok, long tookMs) {
        (ok ? reloadsOk : reloadsFailed).increment();
        reloadMillis.add(tookMs);
    }

    public long reloadsOk() { return reloadsOk.sum(); }

    public long reloadsFailed() { return reloadsFailed.sum(); }

    public double reloadSeconds() { return reloadMillis.sum() / 1000.0; }

    public void readinessFailed() {
        readinessFailures.increment();
    }

    public long readinessFailures() { return readinessFailures.sum(); }
}
