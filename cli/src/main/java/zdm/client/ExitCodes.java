package zdm.client;

/** The process exit codes of {@code zdm}; the table in docs/cli.md must match. zdm.cli.ExitCodes gives the same to the full CLI. */
public final class ExitCodes {
    public static final int OK = 0;
    /** The operation failed or the app was not found. */
    public static final int FAILED = 1;
    /** Usage error or invalid configuration. */
    public static final int USAGE = 2;
    /** The daemon cannot be reached or started, or it denied the request. */
    public static final int DAEMON = 3;
    /** Interrupted (Ctrl-C); 128 + SIGINT as shells report it. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
