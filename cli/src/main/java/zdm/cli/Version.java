package zdm.cli;

/** The version of this zdm build; the daemon reports its own in {@code Pong}. */
public final class Version {
    public static final String VERSION = "0.1.0";

    private Version() {}
}
