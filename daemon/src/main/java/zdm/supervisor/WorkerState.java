package zdm.supervisor;

import zdm.proc.ExitStatus;

/**
 * Where one worker slot is in its life. The allowed moves are in {@link #canMoveTo} and nowhere
 * else; {@link Worker#moveTo} refuses any other move loudly.
 *
 * docs/architecture.md ("Worker state machine") lists every allowed move with what causes it;
 * {@code WorkerStateDocTest} keeps that table and this method equal.
 * Times ({@code sinceMs}, {@code atMs}) are monotonic ({@link Host#nowMs}).
 */
public sealed interface WorkerState {

    /** Spawned; the readiness check has not passed yet. */
    record Starting(long pid, long sinceMs) implements WorkerState {}

    /** Ready and (for an app with a port) in the proxy's rotation. */
    record Online(long pid, long sinceMs) implements WorkerState {}

    /** Out of the port's rotation; its open connections may finish (up to kill_timeout) before it is signalled. */
    record Draining(long pid, long sinceMs) implements WorkerState {}

    /** Asked to stop: out of rotation, stop signal sent, SIGKILL after kill_timeout. */
    record Stopping(long pid, long sinceMs) implements WorkerState {}

    /** Exited unasked; will be spawned again when its backoff (a timer of the loop) is over. */
    record WaitingRestart(ExitStatus exit) implements WorkerState {}

    /** Gave up after too many unstable restarts; stays so until the app is started again. */
    record Errored(String reason) implements WorkerState {}

    /** No process, none wanted. */
    record Stopped() implements WorkerState {}

    /** The name shown by {@code zdm ls} and kept in the store. */
    default String label() {
        return switch (this) {
            case Starting s -> "starting";
            case Online o -> "online";
            case Draining d -> "draining";
            case Stopping s -> "stopping";
            case WaitingRestart w -> "waiting-restart";
            case Errored e -> "errored";
            case Stopped s -> "stopped";
        };
    }

    /** The pid of the live process in this state, or 0. */
    default long pid() {
        return switch (this) {
            case Starting s -> s.pid();
            case Online o -> o.pid();
            case Draining d -> d.pid();
            case Stopping s -> s.pid();
            case WaitingRestart w -> 0;
            case Errored e -> 0;
            case Stopped s -> 0;
        };
    }

    default boolean hasProcess() {
        return pid() != 0;
    }

    /**
     * The transition table: the one place that says which moves are legal. A spawn that fails (no such program,
     * no working directory) never reaches Starting: the slot goes from wherever it was without a process
     * (Stopped, WaitingRestart, Errored) to WaitingRestart (backoff) or Errored, as after a crash; so an errored
     * slot started again whose spawn fails with no restart left is errored again.
     */
    default boolean canMoveTo(WorkerState next) {
        return switch (this) {
            case Stopped s -> next instanceof Starting || next instanceof WaitingRestart || next instanceof Errored;
            case Starting s -> next instanceof Online || next instanceof Stopping
                    || next instanceof WaitingRestart || next instanceof Errored || next instanceof Stopped;
            case Online o -> next instanceof Draining || next instanceof Stopping || next instanceof WaitingRestart
                    || next instanceof Errored || next instanceof Stopped;
            case Draining d -> next instanceof Stopping || next instanceof Stopped;
            case Stopping s -> next instanceof Stopped;
            case WaitingRestart w -> next instanceof Starting || next instanceof Stopped || next instanceof WaitingRestart
                    || next instanceof Errored;
            case Errored e -> next instanceof Starting || next instanceof Stopped || next instanceof WaitingRestart
                    || next instanceof Errored;
        };
    }
}
