package zdm.client;

import java.nio.file.Path;

/**
 * The files of a zdm home that the fast client needs, found as {@code zdm.protocol.Paths} finds
 * them ({@code ZDM_HOME}, else {@code ~/.zdm}); that record is in the daemon's jar, which the fast
 * client does without. HomeTest holds the two to the same answers.
 */
public record Home(Path dir) {
    /** {@code ZDM_HOME} if set, else {@code ~/.zdm}. */
    public static Home fromEnvironment() {
        String env = System.getenv("ZDM_HOME");
        Path home = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".zdm");
        return new Home(home.toAbsolutePath().normalize());
    }

    public Path socket() { return dir.resolve("zdm.sock"); }
    public Path daemonLog() { return dir.resolve("daemon.log"); }
    /** Written by a daemon that had to start with an empty state; the full CLI reports it. */
    public Path stateLost() { return dir.resolve("state-lost"); }
}
