package zdm.protocol;

/**
 * One worker as shown by {@code zdm ls}.
 *
 * @param state       "starting", "online", "stopping", "waiting-restart", "errored", "stopped"
 * @param pid         0 when no process runs
 * @param uptimeMs    time since the current process started, 0 when none
 * @param cpuPercent  CPU use of the worker's process tree since the previous sample, -1 unknown
 * @param memoryBytes resident memory of the worker's process tree, -1 unknown
 * @param lastExit    how the previous process ended ("code 1", "signal SIGKILL"), or null
 * @param status      the last {@code STATUS=} text the process sent to its NOTIFY_SOCKET, or null
 */
public record WorkerView(int id, String state, long pid, int restarts, long uptimeMs,
                         double cpuPercent, long memoryBytes, String lastExit, String status) {
    public WorkerView(int id, String state, long pid, int restarts, long uptimeMs, double cpuPercent, long memoryBytes,
                      String lastExit) {
        this(id, state, pid, restarts, uptimeMs, cpuPercent, memoryBytes, lastExit, null);
    }
}
