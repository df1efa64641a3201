package zdm.supervisor;

import zdm.proc.ExitStatus;
import zdm.proc.ProcessIdentity;

/**
 * One process of a worker slot of an app ({@code web[1]}), and the slot's history that it carries.
 * A slot's serving worker spawns processes into the same {@code Worker} over time (restarts); a
 * reload or a memory replacement makes a second {@code Worker} for the slot, whose {@link Role}
 * says what it is doing there. Confined to the {@link SupervisionLoop}: no field is touched from
 * any other thread.
 */
final class Worker {
    /** What this worker is to its slot. */
    enum Role {
        /** The slot's worker: in the rotation when online, restarted when it crashes. */
        SERVING,
        /** A replacement being started beside the serving worker; it takes the slot once ready and stable. */
        CANDIDATE,
        /** Replaced or discarded: draining, then stopping, then gone; never restarted. */
        OUTGOING
    }

    final int id;
    private Role role;
    private WorkerState state = new WorkerState.Stopped();
    /** Bumped on every spawn, so late news about an older process (exit, readiness) is ignored. */
    private int generation;
    private ProcessRef process;
    private ProcessIdentity identity;
    private int privatePort;
    /** This process's identity in the port's rotation: unique per process, so old and new of one slot never mix. */
    private int backendKey;
    /** Monotonic (Host.nowMs): uptime. */
    private long spawnedAtMs;
    /** Wall clock (Host.wallMs): to find the lines this process wrote in the app's log. */
    private long spawnedAtWallMs;
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
    /** A one-shot job's process (autorestart off) exited 0 by itself: the slot's work is done. */
    private boolean completed;
    /** The shared socket the current process inherited (a port-learning Node app), or null. */
    private zdm.net.SharedSocket socket;
    /** The current process is being stopped to be started again at once on the app's shared socket. */
    private boolean relaunching;

    Worker(int id) {
        this(id, Role.SERVING);
    }

    Worker(int id, Role role) {
        this.id = id;
        this.role = role;
    }

    Role role() { return role; }
    WorkerState state() { return state; }
    int generation() { return generation; }
    ProcessRef process() { return process; }
    ProcessIdentity identity() { return identity; }
    int privatePort() { return privatePort; }
    int backendKey() { return backendKey; }
    long spawnedAtMs() { return spawnedAtMs; }
    long spawnedAtWallMs() { return spawnedAtWallMs; }
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

    void becomes(Role next) {
        role = next;
    }

    void markUnresponsive() {
        unresponsive = true;
    }

    zdm.net.SharedSocket socket() { return socket; }
    void socket(zdm.net.SharedSocket inherited) { socket = inherited; }
    boolean relaunching() { return relaunching; }

    /** Its stop is not an end: {@link WorkerExits} starts the slot again at once, on the app's shared socket. */
    void markRelaunching() {
        relaunching = true;
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

    /**
     * After an unexpected failure while handling this worker's app: errored whatever the state, and news about
     * the current process (its exit, readiness) is ignored from here on. Its process, if any, is the caller's to end.
     */
    void forceErrored(String reason) {
        state = new WorkerState.Errored(reason);
        generation++;
        process = null;
    }

    int spawned(ProcessRef p, int port, int key, long nowMs, long wallMs) {
        process = p;
        identity = p.identity();
        privatePort = port;
        backendKey = key;
        spawnedAtMs = nowMs;
        spawnedAtWallMs = wallMs;
        failedStart = false;
        unresponsive = false;
        notifiedStatus = null;
        announcedStop = false;
        lastWatchdogMs = 0;
        completed = false;
        socket = null;
        relaunching = false;
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

    void markCompleted() {
        completed = true;
    }

    /** A one-shot job's worker that finished: exited 0 by itself, with autorestart off, and was not started since. */
    boolean completed() {
        return completed && state instanceof WorkerState.Stopped;
    }
}
