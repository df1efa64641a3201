package zdm.protocol;

/** One row of the events table: {@code kind} is e.g. "started", "exited", "restarted", "stopped". */
public record EventView(long timeMs, String app, Integer worker, String kind, String detail) {}
