package zdm.client;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * What this process's standard output can do, as {@code zdm.view.Tty} holds it: whether it is a
 * terminal, colour (not with {@code NO_COLOR} set, https://no-color.org, or {@code TERM=dumb}) and
 * its width. Found here for both the fast client and the full CLI.
 *
 * @param width columns available, 0 for unlimited (no terminal)
 */
public record Terminal(boolean terminal, boolean colour, int width) {
    public static final Terminal NONE = new Terminal(false, false, 0);
    /** The system property through which bin/zdm passes the terminal's width (bin/lib/launch.sh, zdm_terminal_width). */
    public static final String LAUNCHER_COLUMNS = "zdm.columns";
    static final int FALLBACK_WIDTH = 80;

    /** This process's standard output; may run {@code stty} for its width (see {@link #columns()}). */
    public static Terminal detect() {
        var console = System.console();
        if (console == null || !console.isTerminal()) return NONE;
        String noColor = System.getenv("NO_COLOR");
        boolean colour = (noColor == null || noColor.isEmpty()) && !"dumb".equals(System.getenv("TERM"));
        return new Terminal(true, colour, columns());
    }

    /**
     * {@code COLUMNS} when exported, else the width bin/zdm measured ({@link #LAUNCHER_COLUMNS}: bash's
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
}
