package zdm.proc;

import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One pass over /proc shared by every caller that asks while it runs. A pass reads every process's
 * stat file (~10-20 µs of CPU each): a reload of all apps stops hundreds of workers at once, and each
 * stop looks for the worker's whole tree several times, which made the daemon's CPU per replaced
 * worker grow with the number of processes on the machine (workers x processes reads). A caller of
 * {@link #fresh()} gets the result of a pass that began after its call, so it sees every process that
 * existed when it asked, exactly as with a pass of its own; callers arriving during a pass wait for
 * the next one, and all of them share it. Thread-safe; no I/O under the lock.
 */
final class ProcScan {
    private static final ReentrantLock lock = new ReentrantLock();
    private static final Condition done = lock.newCondition();
    /** Passes begun and completed so far; {@link #latest} is the result of pass number {@link #completed}. */
    private static long begun, completed;
    private static List<ProcStat> latest = List.of();
    private static RuntimeException latestFailure;
    private static boolean running;
    /** For tests: how many passes were made. */
    private static long passes;

    private ProcScan() {}

    /** Every process visible in /proc, read by a pass that began after this call. */
    static List<ProcStat> fresh() {
        lock.lock();
        try {
            long needed = begun + 1;   // the next pass to begin; one running now began before this call
            while (completed < needed) {
                if (running) {
                    done.awaitUninterruptibly();
                    continue;
                }
                running = true;
                long mine = ++begun;
                List<ProcStat> result = null;
                RuntimeException failure = null;
                lock.unlock();
                try {
                    result = ProcStat.all();
                } catch (RuntimeException e) {
                    failure = e;
                } finally {
                    lock.lock();
                    running = false;
                    completed = mine;
                    passes++;
                    latest = result == null ? List.of() : result;
                    latestFailure = failure;
                    done.signalAll();
                }
            }
            if (latestFailure != null) throw latestFailure;
            return latest;
        } finally {
            lock.unlock();
        }
    }

    static long passes() {
        lock.lock();
        try {
            return passes;
        } finally {
            lock.unlock();
        }
    }
}
