package zdm.cli;

import zdm.view.Timestamps;
import zdm.view.Tty;

import java.time.ZoneId;
import zdm.protocol.EventView;

/**
 * One event as {@code zdm events} prints it: local time with its offset ({@link Timestamps}), who (app, app[worker], or zdm for the
 * daemon's own), kind, detail, and the uid that asked for it when a client did:
 * {@code 2026-12-01T17:00:00.123Z  web[1]  exited: code 3 after 1502 ms}. Stateless.
 */
public final class EventLine {
    private EventLine() {}

    public static String render(EventView e, ZoneId zone, Tty tty) {
        String who = (e.app() == null ? "zdm" : e.app()) + (e.worker() == null ? "" : "[" + e.worker() + "]");
        String paintedWho = e.app() == null ? who : tty.paint(Tty.appStyle(e.app()), who);
        return Timestamps.format(e.timeMs(), zone) + "  " + paintedWho + "  "
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
