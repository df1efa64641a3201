package zdm.protocol;

/**
 * One worker as shown by {@code zdm ls}.
 *
 * @param state       where the worker is in its life
 * @param pid         0 when no process runs
 * @param uptimeMs    time since the current process started, 0 when none
 * @param cpuPercent  CPU use of the worker's process tree since the previous sample, -1 unknown
 * @param memoryBytes resident memory of the worker's process tree, -1 unknown
 * @param lastExit    how the previous process ended ("code 1", "signal SIGKILL"), or null
 * @param status      the last {@code STATUS=} text the process sent to its NOTIFY_SOCKET, or null
 */
public record WorkerView(int id, State state, long pid, int restarts, long uptimeMs,
                         double cpuPercent, long memoryBytes, String lastExit, String status) {
    public WorkerView(int id, State state, long pid, int restarts, long uptimeMs, double cpuPercent, long memoryBytes,
                      String lastExit) {
        this(id, state, pid, restarts, uptimeMs, cpuPercent, memoryBytes, lastExit, null);
    }

    /**
     * A worker's state on the wire, in lower case with hyphens ("waiting-restart"). The daemon maps each
     * of its supervisor's states to one of these; a new state is an incompatible protocol change.
     */
    public enum State implements WireName {
        /** Spawned, not ready yet. */
        STARTING,
        /** Ready and serving. */
        ONLINE,
        /** Out of the rotation; its open connections finish. */
        DRAINING,
        /** Asked to stop (or announced it stops, STOPPING=1). */
        STOPPING,
        /** Exited unasked; spawned again after a backoff. */
        WAITING_RESTART,
        /** Gave up after too many unstable restarts. */
        ERRORED,
        /** No process, none wanted. */
        STOPPED;

        @Override
        public String toString() {
            return wireName();
        }
    }
}
