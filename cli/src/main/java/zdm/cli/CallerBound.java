package zdm.cli;

/**
 * A command that, as parsed, may need the caller's own process rather than the daemon that runs
 * commands for the fast path (DaemonCommands asks before running it): the caller's terminal for a
 * watch, its desktop for a browser. Commands that always need it are on launch.conf's "full:" line.
 */
interface CallerBound {
    /** True when this invocation must run in the caller's process. */
    boolean needsCallersProcess();

    /** True when it prints until interrupted (a follow): silence is then no sign of a stuck daemon. */
    default boolean follows() {
        return false;
    }
}
