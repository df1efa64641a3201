package zdm.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;

/**
 * The daemon's own log: one timestamped line per message on stderr, which the launcher sends to
 * {@code daemon.log} (or systemd's journal when run in the foreground).
 */
public final class DaemonLog {
    private DaemonLog() {}

    public static void info(String message) {
        emit("INFO", message);
    }

    public static void warn(String message) {
        emit("WARN", message);
    }

    public static void error(String message, Throwable t) {
        var sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        emit("ERROR", message + ": " + t + "\n" + sw);
    }

    private static synchronized void emit(String level, String message) {
        System.err.println(Instant.now() + " " + level + " " + message);
        System.err.flush();
    }
}
