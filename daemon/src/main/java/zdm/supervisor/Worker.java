package zdm.supervisor;

import zdm.proc.ExitStatus;
import zdm.proc.ProcessIdentity;
import zdm.proc.WorkerProcess;

/**
 * One worker slot of an app ({@code web[1]}) across the processes that fill it over time.
 * Confined to the {@link SupervisionLoop}: no field is touched from any other thread.
 */
final class Worker {
    final int id;
    private WorkerState state = new WorkerState.Stopped();
    /** Bumped on every spawn, so late news about an older process (exit, readiness) is ignored. */
    private int generation;
    private WorkerProcess process;
    private ProcessIdentity identity;
    private int privatePort;
    /** This process's identity in the port's rotation: unique per process, so old and new of one slot never mix. */
    private int backendKey;
    private long spawnedAtMs;
    private int restarts;
    private int unstableStreak;
    private ExitStatus lastExit;
    /** Set when the slot is being removed (scale down, delete): once stopped it disappears. */
    private boolean retiring;
    /** The current process missed its readiness deadline; its exit counts as unstable whatever its uptime. */
    private boolean failedStart;
    /** The current process failed its liveness probe and is being killed: online, but out of rotation. */
    private boolean unresponsive;
    /** The current process's last sd_notify STATUS= text, or null. */
    private String notifiedStatus;
    /** The current process sent STOPPING=1: it began its own stop, so it takes no new connections. */
    private boolean announcedStop;
    /** When the current process last sent WATCHDOG=1 (liveness: watchdog), 0 = never. */
    private long lastWatchdogMs;

    Worker(int id) {
        this.id = id;
    }

    WorkerState state() { return state; }
    int generation() { return generation; }
    WorkerProcess process() { return process; }
    ProcessIdentity identity() { return identity; }
    int privatePort() { return privatePort; }
    int backendKey() { return backendKey; }
    long spawnedAtMs() { return spawnedAtMs; }
    int restarts() { return restarts; }
    int unstableStreak() { return unstableStreak; }
    ExitStatus lastExit() { return lastExit; }
    boolean retiring() { return retiring; }
    boolean failedStart() { return failedStart; }
    boolean unresponsive() { return unresponsive; }
    String notifiedStatus() { return notifiedStatus; }
    boolean announcedStop() { return announcedStop; }
    long lastWatchdogMs() { return lastWatchdogMs; }

    void notifiedStatus(String status) {
        notifiedStatus = status;
    }

    void announceStop() {
        announcedStop = true;
    }

    void watchdogBeat(long nowMs) {
        lastWatchdogMs = nowMs;
    }

    void markUnresponsive() {
        unresponsive = true;
    }

    void markFailedStart() {
        failedStart = true;
    }

    /** The only way the state changes; an illegal move is a bug and fails loudly. */
    void moveTo(WorkerState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("worker " + id + ": illegal transition " + state.label() + " -> " + next.label());
        }
        state = next;
    }

    int spawned(WorkerProcess p, int port, int key, long nowMs) {
        process = p;
        identity = p.identity();
        privatePort = port;
        backendKey = key;
        spawnedAtMs = nowMs;
        failedStart = false;
        unresponsive = false;
        notifiedStatus = null;
        announcedStop = false;
        lastWatchdogMs = 0;
        return ++generation;
    }

    void exited(ExitStatus status) {
        lastExit = status;
        process = null;
    }

    /** A replacement inherits the slot's history, so `zdm ls` keeps counting across reloads. */
    void inheritCounters(Worker from) {
        restarts = from.restarts;
        lastExit = from.lastExit;
    }

    void countRestart(int newStreak) {
        restarts++;
        unstableStreak = newStreak;
    }

    /** A fresh start asked for by the user forgives the past (pm2 resets its counters too). */
    void resetCounters() {
        restarts = 0;
        unstableStreak = 0;
    }

    void retire() {
        retiring = true;
    }
}
