package zdm.store;

/**
 * The persisted state of one worker, enough for a restarted daemon to find (and adopt or reap) it.
 *
 * @param state       the worker state's name ("starting", "online", ...)
 * @param pid         0 = no process
 * @param startTimeMs the process's start time in epoch ms, 0 = none; with the pid it identifies the process
 *                    across pid reuse
 */
public record WorkerRecord(String app, int id, long pid, long startTimeMs, String state, int restarts,
                           Integer lastExitCode, String lastSignal) {}
