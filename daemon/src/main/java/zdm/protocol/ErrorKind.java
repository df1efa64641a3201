package zdm.protocol;

/** Why a request failed; the CLI maps each kind to its exit code (see docs/cli.md). */
public enum ErrorKind {
    /** The request itself is malformed, oversized or of an unknown type or version. */
    BAD_REQUEST(2),
    /** The ecosystem file or inline app definition did not validate; nothing was changed. */
    INVALID_CONFIG(2),
    /** The named app does not exist. */
    NOT_FOUND(1),
    /** The operation ran and failed (a worker never came up, an app is errored). */
    FAILED(1),
    /** The peer's uid is not allowed to talk to this daemon. */
    DENIED(3),
    /** A bug or an environmental failure inside the daemon (disk full, ...). */
    INTERNAL(1);

    private final int exitCode;

    ErrorKind(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
