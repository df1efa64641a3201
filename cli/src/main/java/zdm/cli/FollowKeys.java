package zdm.cli;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;

/**
 * The keys of a follow ({@code logs -f}, {@code events -f}) inside the shell: the terminal goes raw
 * (typed keys are not echoed into the followed lines) and {@code q} ends the follow by interrupting
 * the command's thread; Ctrl-C stays a signal, which the shell handles. Keys are read from the
 * shell's own terminal reader with a timeout, and {@link #close} waits for the reading thread, so
 * no key pressed after the follow ended is taken from the prompt.
 */
final class FollowKeys implements AutoCloseable {
    private static final long POLL_MS = 50;

    private final Terminal terminal;
    private final Attributes saved;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean quit = new AtomicBoolean();
    private final Thread reader;

    private FollowKeys(Terminal terminal, Thread command) {
        this.terminal = terminal;
        this.saved = terminal.enterRawMode();
        this.reader = Thread.ofPlatform().daemon().name("zdm-follow-keys").start(() -> read(command));
    }

    /** Starts watching for {@code q} on the shell's terminal, or returns null outside the shell. */
    static FollowKeys inShell(Thread command) {
        Terminal terminal = Shell.terminal();
        return terminal == null ? null : new FollowKeys(terminal, command);
    }

    /** True when the follow was ended by {@code q}: a normal end, not an interruption. */
    boolean quit() {
        return quit.get();
    }

    private void read(Thread command) {
        try {
            while (!closed.get()) {
                int c = terminal.reader().read(POLL_MS);
                if (c == 'q' || c == 'Q') {
                    quit.set(true);
                    command.interrupt(); // closes the command's socket: the follow ends
                    return;
                }
            }
        } catch (IOException e) {
            // the terminal is gone: the follow goes on until Ctrl-C or the daemon ends it
        }
    }

    @Override
    public void close() {
        closed.set(true);
        // Uninterruptibly: after Ctrl-C this thread is the interrupted one, and a join that returned at
        // once let the reader take the first key typed at the next prompt (seen: 'monit' read as 'onit').
        boolean interrupted = false;
        while (reader.isAlive()) {
            try {
                reader.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        terminal.setAttributes(saved);
    }
}
