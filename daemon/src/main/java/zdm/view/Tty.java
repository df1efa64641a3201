package zdm.view;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import zdm.protocol.AppView;
import zdm.protocol.WorkerView;

/**
 * What the output can do: colour (ANSI) and a width to fit tables into. Plain text, unlimited width
 * when stdout is not a terminal, and no colour when {@code NO_COLOR} is set (https://no-color.org)
 * or {@code TERM=dumb}.
 *
 * @param width columns available, 0 for unlimited
 */
public record Tty(boolean terminal, boolean colour, int width) {
    public static final Tty PLAIN = new Tty(false, false, 0);
    public static final int FALLBACK_WIDTH = 80;

    /** The standard output of this process. */
    public static Tty detect() {
        var console = System.console();
        if (console == null || !console.isTerminal()) return PLAIN;
        String noColor = System.getenv("NO_COLOR");
        boolean colour = (noColor == null || noColor.isEmpty()) && !"dumb".equals(System.getenv("TERM"));
        return new Tty(true, colour, columns());
    }

    /** The same output at another width (a watch redraws at the terminal's current width). */
    public Tty withWidth(int columns) {
        return new Tty(terminal, colour, columns);
    }

    /**
     * {@code COLUMNS} when exported, else the width bin/zdm measured ({@code zdm.columns}: bash's
     * checkwinsize, no process), else what the terminal says ({@code stty size}), else 80.
     */
    private static int columns() {
        int known = columns(System.getenv("COLUMNS"), System.getProperty(LAUNCHER_COLUMNS));
        if (known > 0) return known;
        try {
            var p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(2, TimeUnit.SECONDS)) p.destroyForcibly();
            String[] parts = answer.split("\\s+");
            if (parts.length == 2) return Math.max(20, Integer.parseInt(parts[1]));
        } catch (IOException | NumberFormatException e) {
            // no stty or no /dev/tty: the fallback
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return FALLBACK_WIDTH;
    }

    /** The system property through which bin/zdm passes the terminal's width (bin/lib/launch.sh, zdm_terminal_width). */
    public static final String LAUNCHER_COLUMNS = "zdm.columns";

    /**
     * The width from an exported {@code COLUMNS}, else from bin/zdm's measure (each may be null), at
     * least 20; 0 when neither is a number, and the terminal must be asked.
     */
    public static int columns(String exported, String measured) {
        for (String value : new String[] {exported, measured}) {
            if (value == null || value.isBlank()) continue;
            try {
                return Math.max(20, Integer.parseInt(value.trim()));
            } catch (NumberFormatException e) {
                // the next source
            }
        }
        return 0;
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
