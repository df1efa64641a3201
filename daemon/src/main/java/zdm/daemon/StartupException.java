package zdm.daemon;

/** Why the daemon cannot start: one line with the fix, printed as "zdm daemon: ..." and exit code 1. */
final class StartupException extends Exception {
    StartupException(String message) {
        super(message);
    }
}
