package zdm.protocol;

import java.util.List;

/**
 * Everything the daemon answers. A request gets zero or more non-final responses (progress, log
 * lines) followed by exactly one final response; a follow stream ends when either side closes.
 *
 * <p>On the wire: {@link ResponseCodec} (each record's name and fields).
 */
public sealed interface Response {

    /** False for the responses that announce more to come. */
    default boolean isFinal() {
        return true;
    }

    record Pong(String version, int protocol, long pid, long uptimeMs, String home) implements Response {}

    /** A line of progress during a long operation (start, restart, stop). */
    record Progress(String line) implements Response {
        @Override public boolean isFinal() { return false; }
    }

    /** The state of some or all apps: the answer to list, start, restart, scale. */
    record Apps(List<AppView> apps, String message) implements Response {}

    record Described(AppDetail app) implements Response {}

    /** One log line, already formatted as {@code <timestamp> app[worker] <text>}; err marks stderr. */
    record LogLine(String line, boolean err) implements Response {
        @Override public boolean isFinal() { return false; }
    }

    record Done(String message) implements Response {}

    /**
     * The request failed. {@code message} is the one line shown to the user; {@code details} are
     * further lines (e.g. one per config error), already formatted.
     */
    record Failed(ErrorKind kind, String message, List<String> details) implements Response {
        public Failed {
            details = details == null ? List.of() : List.copyOf(details);
        }

        public static Failed of(ErrorKind kind, String message) {
            return new Failed(kind, message, List.of());
        }
    }

    /** One event of an events stream ({@link Request.Events}). */
    record Event(EventView event) implements Response {
        @Override public boolean isFinal() { return false; }
    }

    /** Text a command run for {@link Request.Run} printed, to the caller's stdout ({@code err}: stderr), as it is. */
    record Output(String text, boolean err) implements Response {
        @Override public boolean isFinal() { return false; }
    }

    /** The command run for {@link Request.Run} follows (logs -f, events -f): silence is no longer a stuck daemon. */
    record Follows() implements Response {
        @Override public boolean isFinal() { return false; }
    }

    /** The command run for {@link Request.Run} ended with this exit code. */
    record Exit(int code) implements Response {}

    /**
     * The client runs the command of {@link Request.Run} itself (the full path): it needs the caller's
     * machine (a terminal, systemd's files) or the daemon is of another build. {@code notice}, when not
     * null, is said to the user first.
     */
    record RunHere(String notice) implements Response {}
}
