package zdm.protocol;

import java.nio.file.Path;

/** Where a zdm home keeps its files; shared so that daemon and CLI can never disagree. */
public record Paths(Path home) {
    /** sun_path is 108 bytes on Linux, including the terminating NUL. */
    public static final int MAX_SOCKET_PATH_BYTES = 107;
    /** The directories a home holds (relative to it), made 0700 by the daemon before anything else. */
    public static final String[] DIRECTORIES = {"logs", "logs/capture", "logs/capture/offsets", "node", "notify"};

    /** {@code ZDM_HOME} if set, else {@code ~/.zdm}. */
    public static Paths fromEnvironment() {
        String env = System.getenv("ZDM_HOME");
        Path home = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".zdm");
        return new Paths(home.toAbsolutePath().normalize());
    }

    public Path socket() { return home.resolve("zdm.sock"); }
    public Path database() { return home.resolve("zdm.db"); }
    public Path lock() { return home.resolve("daemon.lock"); }
    public Path pidFile() { return home.resolve("daemon.pid"); }
    public Path daemonLog() { return home.resolve("daemon.log"); }
    /** Written by the daemon when it had to start with an empty state; the next CLI command prints it and removes it. */
    public Path stateLost() { return home.resolve("state-lost"); }
    public Path logs() { return home.resolve("logs"); }
    public Path outLog(String app) { return logs().resolve(app + ".out.log"); }
    public Path errLog(String app) { return logs().resolve(app + ".err.log"); }
}
