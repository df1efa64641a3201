package zdm.daemon;

/** Facts about the running daemon for {@code zdm ping}. */
public record DaemonInfo(String version, long pid, long startedAtMs, String home) {
    public static final String VERSION = "0.1.0";

    public long uptimeMs() {
        return System.currentTimeMillis() - startedAtMs;
    }
}
