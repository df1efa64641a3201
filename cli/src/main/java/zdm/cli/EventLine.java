package zdm.cli;

import zdm.view.Tty;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import zdm.protocol.EventView;

/**
 * One event as {@code zdm events} prints it: local time, who (app, app[worker], or zdm for the
 * daemon's own), kind, detail, and the uid that asked for it when a client did:
 * {@code 2026-12-01 17:00:00.123  web[1]  exited: code 3 after 1502 ms}. Stateless.
 */
public final class EventLine {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private EventLine() {}

    public static String render(EventView e, ZoneId zone, Tty tty) {
        String who = (e.app() == null ? "zdm" : e.app()) + (e.worker() == null ? "" : "[" + e.worker() + "]");
        String paintedWho = e.app() == null ? who : tty.paint(Tty.appStyle(e.app()), who);
        return TIME.format(Instant.ofEpochMilli(e.timeMs()).atZone(zone)) + "  " + paintedWho + "  "
                + tty.paint(kindStyle(e.kind()), e.kind())
                + (e.detail() == null || e.detail().isEmpty() ? "" : ": " + e.detail())
                + (e.uid() == null ? "" : " (uid " + e.uid() + ")");
    }

    /** Failures red, recoveries and progress yellow, the rest plain. */
    static String kindStyle(String kind) {
        return switch (kind) {
            case "exited", "errored", "spawn-failed", "not-ready", "reload-failed", "reload-stopped", "killed",
                 "restore-failed", "config-rolled-back" -> "31";
            case "restarted", "reload", "reload-begin", "replaced", "reload-end", "config-changed", "scale" -> "33";
            case "online" -> "32";
            default -> "0";
        };
    }
}
