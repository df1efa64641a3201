package zdm.view;

import zdm.protocol.AppView;
import zdm.protocol.WorkerView;

/**
 * What the output can do: colour (ANSI) and a width to fit tables into. Plain text, unlimited width
 * when stdout is not a terminal, and no colour when {@code NO_COLOR} is set (https://no-color.org)
 * or {@code TERM=dumb}. The CLI finds its own with zdm.client.Terminal; the daemon gets the caller's.
 *
 * @param width columns available, 0 for unlimited
 */
public record Tty(boolean terminal, boolean colour, int width) {
    public static final Tty PLAIN = new Tty(false, false, 0);
    public static final int FALLBACK_WIDTH = 80;

    /** The same output at another width (a watch redraws at the terminal's current width). */
    public Tty withWidth(int columns) {
        return new Tty(terminal, colour, columns);
    }

    /** {@code text} in the given SGR style ("1" bold, "32" green, ...) when colour is on. */
    public String paint(String sgr, String text) {
        return colour && !text.isEmpty() ? "\033[" + sgr + "m" + text + "\033[0m" : text;
    }

    /** The colour of an app's status: green when serving, yellow in transition, red when failed. */
    public static String statusStyle(AppView.Status status) {
        return switch (status) {
            case RUNNING -> "32";
            case ERRORED -> "31";
            case STOPPED -> "90";
            case STARTING, RELOADING, DEGRADED, STOPPING -> "33";
        };
    }

    /** The colour of a worker's state, as {@link #statusStyle(AppView.Status)}'s. */
    public static String statusStyle(WorkerView.State state) {
        return switch (state) {
            case ONLINE -> "32";
            case ERRORED -> "31";
            case STOPPED -> "90";
            case STARTING, DRAINING, STOPPING, WAITING_RESTART -> "33";
        };
    }

    private static final String[] APP_STYLES = {"36", "35", "34", "32", "33", "96", "95", "94"};

    /** A stable colour per app name, so interleaved log lines of different apps tell apart. */
    public static String appStyle(String app) {
        return APP_STYLES[Math.floorMod(app.hashCode(), APP_STYLES.length)];
    }
}
