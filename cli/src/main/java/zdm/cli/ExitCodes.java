package zdm.cli;

/**
 * The process exit codes of {@code zdm}, defined with the fast client ({@link zdm.client.ExitCodes},
 * whose jar has nothing else) and given here to the full CLI's classes, which use them unqualified.
 */
public final class ExitCodes {
    public static final int OK = zdm.client.ExitCodes.OK;
    /** The operation failed or the app was not found. */
    public static final int FAILED = zdm.client.ExitCodes.FAILED;
    /** Usage error or invalid configuration. */
    public static final int USAGE = zdm.client.ExitCodes.USAGE;
    /** The daemon cannot be reached or started, or it denied the request. */
    public static final int DAEMON = zdm.client.ExitCodes.DAEMON;
    /** Interrupted (Ctrl-C); 128 + SIGINT as shells report it. */
    public static final int INTERRUPTED = zdm.client.ExitCodes.INTERRUPTED;

    private ExitCodes() {}
}
