package zdm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.NonBlockingReader;
import zdm.view.Timestamps;

/**
 * Redraws a frame every second until stopped, like top. On a terminal: the cursor goes home and
 * each line overwrites the previous frame's line and clears the rest of it, then the rest of the
 * screen is cleared, so nothing flickers; {@code q} or Ctrl-C ends it, other keys go to the
 * {@link Screen} (and redraw at once). Inside the shell it uses the shell's own terminal, so no key
 * is read by anyone else. Elsewhere (a pipe, a file): one frame per second, each after a
 * {@code --- <time>} line, until the output closes or Ctrl-C.
 */
final class Watch {
    static final long PERIOD_MS = 1000;
    /** Keys as {@link Screen#key} receives them besides plain characters. */
    static final int UP = 0x10000 + 'A', DOWN = 0x10000 + 'B'; // beyond any char
    private static final String HOME = "\033[H", CLEAR_LINE = "\033[K", CLEAR_BELOW = "\033[J";
    private static final String HIDE_CURSOR = "\033[?25l", SHOW_CURSOR = "\033[?25h", CLEAR_SCREEN = "\033[2J";
    private static final String QUIT_HINT = "q or Ctrl-C to quit";

    /** What a watch shows: a frame for a width and height (0 = any), and what keys do. */
    interface Screen {
        String frame(int width, int height) throws CliException;

        /** A key other than q; true when it changed what the next frame shows. */
        default boolean key(int key) {
            return false;
        }

        /** The footer's words besides the quit hint and the clock. */
        default String keysHint() {
            return "";
        }
    }

    private Watch() {}

    /** Shows {@code screen}'s frames until the user stops (or, off a terminal, the reader goes away). */
    static void run(Screen screen, PrintWriter out, boolean terminal) throws CliException {
        if (!terminal) {
            plain(screen, out);
            return;
        }
        Terminal shell = Shell.terminal();
        try {
            if (shell != null) {
                onTerminal(shell, screen, out);
                return;
            }
            try (Terminal own = TerminalBuilder.builder().system(true).build()) {
                onTerminal(own, screen, out);
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "cannot use the terminal for watching: " + e.getMessage()
                    + "; run 'zdm ls' repeatedly instead");
        }
    }

    private static void plain(Screen screen, PrintWriter out) throws CliException {
        while (true) {
            long next = System.currentTimeMillis() + PERIOD_MS; // a frame per second, however long one takes
            out.println("--- " + Timestamps.format(Instant.now(), ZoneId.systemDefault()));
            out.print(screen.frame(0, 0));
            if (out.checkError()) return; // the reader went away (head, a closed pipe)
            sleep(Math.max(0, next - System.currentTimeMillis()));
        }
    }

    private static void onTerminal(Terminal terminal, Screen screen, PrintWriter out) throws IOException, CliException {
        var stop = new AtomicBoolean();
        Attributes saved = terminal.enterRawMode();
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> stop.set(true));
        var keys = terminal.reader();
        try {
            out.print(HIDE_CURSOR + CLEAR_SCREEN);
            while (!stop.get()) {
                long until = System.currentTimeMillis() + PERIOD_MS;
                String hint = screen.keysHint().isEmpty() ? QUIT_HINT : screen.keysHint() + ", " + QUIT_HINT;
                // The clock tells a live screen from a frozen one, as top's does.
                out.print(HOME + redraw(screen.frame(terminal.getWidth(), terminal.getHeight()), terminal.getHeight())
                        + "\r\n(" + hint + ")  " + Timestamps.format(Instant.now(), ZoneId.systemDefault())
                        + CLEAR_LINE + CLEAR_BELOW);
                out.flush();
                boolean redrawNow = false;
                do { // keys are read at least once per frame, even when a frame took over a second
                    int c = readKey(keys, Math.max(20, until - System.currentTimeMillis()));
                    if (c == 'q' || c == 'Q' || c == 3 || c == -1) stop.set(true); // 3: Ctrl-C with ISIG off
                    else if (c != NonBlockingReader.READ_EXPIRED) redrawNow = screen.key(c);
                } while (!stop.get() && !redrawNow && System.currentTimeMillis() < until);
            }
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
            terminal.setAttributes(saved);
            out.print(SHOW_CURSOR + "\r\n");
            out.flush();
        }
    }

    /** A key, with the arrow keys' escape sequences (ESC [ A, ESC O B, ...) as {@link #UP} and {@link #DOWN}. */
    private static int readKey(NonBlockingReader keys, long timeoutMs) throws IOException {
        int c = keys.read(timeoutMs);
        if (c != 27) return c;
        int second = keys.read(50);
        if (second != '[' && second != 'O') return second == NonBlockingReader.READ_EXPIRED ? 27 : second;
        return switch (keys.read(50)) {
            case 'A' -> UP;
            case 'B' -> DOWN;
            default -> 27;
        };
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
