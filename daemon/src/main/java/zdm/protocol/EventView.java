package zdm.protocol;

/**
 * One row of the events table: {@code kind} is e.g. "started", "exited", "restarted", "stopped".
 *
 * @param app    null for the daemon's own events
 * @param worker null for app-wide events
 * @param uid    the uid of the client that asked for it, null when the daemon acted on its own
 * @param id     the row id, increasing: a follower asks for the events after the last id it saw
 */
public record EventView(long timeMs, String app, Integer worker, String kind, String detail, Integer uid, long id) {
    public EventView(long timeMs, String app, Integer worker, String kind, String detail) {
        this(timeMs, app, worker, kind, detail, null, 0);
    }
}
