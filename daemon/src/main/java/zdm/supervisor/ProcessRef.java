package zdm.supervisor;

import java.util.concurrent.CompletableFuture;
import zdm.proc.ExitStatus;
import zdm.proc.ProcessIdentity;

/**
 * A worker's process as the supervisor sees it: who it is and when it ends. Made by the {@link Host}
 * that spawned it (a real process, or a fake one in tests).
 */
record ProcessRef(long pid, ProcessIdentity identity, CompletableFuture<ExitStatus> exit) {
    /** Completes once, with how the process ended; each call returns a new dependent future. */
    CompletableFuture<ExitStatus> onExit() {
        return exit.copy();
    }
}
