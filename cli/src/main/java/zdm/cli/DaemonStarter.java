package zdm.cli;

import zdm.protocol.Paths;
import zdm.protocol.Response;

/**
 * Starts a daemon for a zdm home when none answers. Production code uses {@link DaemonLauncher};
 * tests inject their own so that no real daemon is spawned.
 */
@FunctionalInterface
public interface DaemonStarter {
    /** Refuses to start anything: for tests and for commands that must never auto-start. */
    DaemonStarter NEVER = paths -> {
        throw new CliException(ExitCodes.DAEMON, "no daemon is running for " + paths.home());
    };

    /**
     * Starts a daemon and returns once it answers a ping.
     *
     * @throws CliException (exit code 3) naming why the daemon did not come up
     */
    Response.Pong start(Paths paths) throws CliException;
}
