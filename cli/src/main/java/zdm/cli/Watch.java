package zdm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import zdm.view.Timestamps;

/**
 * Redraws a frame every second until stopped, like top. On a terminal: the cursor goes home and
 * each line overwrites the previous frame's line and clears the rest of it, then the rest of the
 * screen is cleared, so nothing flickers; {@code q} or Ctrl-C ends it. Elsewhere (a pipe, a file):
 * one frame per second, each after a {@code --- <time>} line, until the output closes or Ctrl-C.
 */
final class Watch {
    static final long PERIOD_MS = 1000;
    private static final String HOME = "\033[H", CLEAR_LINE = "\033[K", CLEAR_BELOW = "\033[J";
    private static final String HIDE_CURSOR = "\033[?25l", SHOW_CURSOR = "\033[?25h", CLEAR_SCREEN = "\033[2J";

    private Watch() {}

    /** {@code frame} renders the current state for a given width (0 = any); returns when the user stops. */
    static void run(IntFunction<String> frame, PrintWriter out, boolean terminal) throws CliException {
        if (terminal) onTerminal(frame, out);
        else plain(frame, out);
    }

    private static void plain(IntFunction<String> frame, PrintWriter out) throws CliException {
        while (true) {
            long next = System.currentTimeMillis() + PERIOD_MS; // a frame per second, however long one takes
            out.println("--- " + Timestamps.format(Instant.now(), ZoneId.systemDefault()));
            out.print(frame.apply(0));
            if (out.checkError()) return; // the reader went away (head, a closed pipe)
            sleep(Math.max(0, next - System.currentTimeMillis()));
        }
    }

    private static void onTerminal(IntFunction<String> frame, PrintWriter out) throws CliException {
        var stop = new AtomicBoolean();
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            Attributes saved = terminal.enterRawMode();
            terminal.handle(Terminal.Signal.INT, s -> stop.set(true));
            var keys = terminal.reader();
            try {
                out.print(HIDE_CURSOR + CLEAR_SCREEN);
                while (!stop.get()) {
                    long until = System.currentTimeMillis() + PERIOD_MS;
                    out.print(HOME + redraw(frame.apply(terminal.getWidth()), terminal.getHeight())
                            + "\r\n(q or Ctrl-C to quit)  " + Timestamps.format(Instant.now(), ZoneId.systemDefault()) + CLEAR_LINE + CLEAR_BELOW);
                    out.flush();
                    do { // keys are read at least once per frame, even when a frame took over a second
                        int c = keys.read(Math.max(20, until - System.currentTimeMillis()));
                        if (c == 'q' || c == 'Q' || c == 3 || c == -1) stop.set(true); // 3: Ctrl-C with ISIG off
                    } while (!stop.get() && System.currentTimeMillis() < until);
                }
            } finally {
                terminal.setAttributes(saved);
                out.print(SHOW_CURSOR + "\r\n");
                out.flush();
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "cannot use the terminal for watching: " + e.getMessage()
                    + "; run 'zdm ls' repeatedly instead");
        }
    }

    /** Each line clears what the previous frame left to its right; lines beyond the screen are cut. */
    static String redraw(String frame, int height) {
        var sb = new StringBuilder();
        var lines = frame.lines().toList();
        int max = height > 2 ? height - 2 : lines.size();
        for (int i = 0; i < Math.min(lines.size(), max); i++) {
            if (i > 0) sb.append("\r\n");
            sb.append(lines.get(i)).append(CLEAR_LINE);
        }
        return sb.toString();
    }

    private static void sleep(long ms) throws CliException {
        try {
            Thread.sleep(ms); // the period of a redraw, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.INTERRUPTED, "interrupted");
        }
    }
}
