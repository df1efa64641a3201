package zdm.store;

/**
 * The persisted state of one worker, enough for a restarted daemon to find (and adopt or reap) it.
 *
 * @param state       the worker state's name ("starting", "online", ...)
 * @param pid         0 = no process
 * @param startTimeMs the process's start time in epoch ms, 0 = none; with the pid it identifies the process
 *                    across pid reuse
 * @param otherPid    a second process of this slot during a rolling reload (the replacement starting,
 *                    or the old process draining), 0 = none; {@code otherStartTimeMs} identifies it
 */
public record WorkerRecord(String app, int id, long pid, long startTimeMs, String state, int restarts,
                           Integer lastExitCode, String lastSignal, long otherPid, long otherStartTimeMs) {

    /** A slot with a single process. */
    public WorkerRecord(String app, int id, long pid, long startTimeMs, String state, int restarts,
                        Integer lastExitCode, String lastSignal) {
        this(app, id, pid, startTimeMs, state, restarts, lastExitCode, lastSignal, 0, 0);
    }
}
