package zdm.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import zdm.test.Await;

/**
 * A real terminal for a test: one tmux session (120x40 unless told) on a private tmux server (its socket in the
 * test's directory via {@code -S}, so a user's own tmux is never touched and nothing is left in
 * /tmp/tmux-UID) running a command; keys go in with send-keys, the screen comes out with
 * capture-pane. {@link #close} kills the session and the server.
 */
public final class TmuxPane implements AutoCloseable {
    private static final Duration TMUX_DEADLINE = Duration.ofSeconds(10);
    private final Path socket;
    private final String session = "zdm";

    /** Starts {@code command} in a new session, with {@code env} and in {@code dir}, through a script in {@code dir}. */
    public TmuxPane(Path dir, Map<String, String> env, List<String> command) throws IOException {
        this(dir, env, command, 120, 40);
    }

    /** The same in a terminal of {@code columns} x {@code lines}. */
    public TmuxPane(Path dir, Map<String, String> env, List<String> command, int columns, int lines) throws IOException {
        socket = dir.resolve("tmux-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
        var script = new StringBuilder("#!/bin/sh\ncd ").append(quote(dir.toString())).append('\n');
        env.forEach((k, v) -> script.append("export ").append(k).append('=').append(quote(v)).append('\n'));
        // Ctrl-C goes to the whole foreground group: this script must outlive it to record the exit
        // code (a trap with a command waits for the child; the child gets the default disposition).
        script.append("trap : INT\n");
        command.forEach(word -> script.append(quote(word)).append(' '));
        // The exit code outlives the pane, which closes when the command ends.
        script.append("\necho \"exit $?\" > ").append(quote(exitFile(dir).toString())).append('\n');
        Path file = dir.resolve("tmux-" + UUID.randomUUID() + ".sh");
        Files.writeString(file, script);
        file.toFile().setExecutable(true);
        tmux("new-session", "-d", "-x", Integer.toString(columns), "-y", Integer.toString(lines), "-s", session, file.toString());
    }

    /** Where the command's exit code is written ({@code exit N}) when it ends. */
    public static Path exitFile(Path dir) {
        return dir.resolve("tmux-command.exit");
    }

    /** Types {@code text} literally. */
    public void type(String text) {
        tmux("send-keys", "-t", session, "-l", "--", text);
    }

    /** Sends tmux key names: Enter, Tab, Up, C-c, C-r, C-d... */
    public void keys(String... keys) {
        var args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    /** The screen and up to 2000 lines of scrollback, wrapped lines joined, blank lines at the end removed. */
    public String screen() {
        return tmux("capture-pane", "-p", "-J", "-S", "-2000", "-t", session).stripTrailing();
    }

    /** The visible screen only (no scrollback), blank lines at the end removed. */
    public String visible() {
        return tmux("capture-pane", "-p", "-t", session).stripTrailing();
    }

    /** Polls the screen until {@code accept} holds; returns that screen. */
    public String await(Duration timeout, Predicate<String> accept, String what) {
        return Await.value(timeout, this::screen, accept, what);
    }

    /** The last line of the screen (where the cursor usually is). */
    public static String lastLine(String screen) {
        return screen.substring(screen.lastIndexOf('\n') + 1);
    }

    @Override
    public void close() {
        runQuietly("kill-session", "-t", session);
        runQuietly("kill-server");
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // the temp directory goes with the test's other files
        }
    }

    private void runQuietly(String... args) {
        try {
            tmux(args);
        } catch (AssertionError ignored) {
            // the session ended with its command, and the server with its last session
        }
    }

    private String tmux(String... args) {
        var cmd = new ArrayList<>(List.of("tmux", "-S", socket.toString(), "-f", "/dev/null"));
        cmd.addAll(List.of(args));
        try {
            var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putIfAbsent("TERM", "xterm-256color");
            pb.environment().remove("TMUX"); // run inside a tmux of the user: still our own server
            var p = pb.start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(TMUX_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("tmux " + String.join(" ", args) + " did not finish in " + TMUX_DEADLINE);
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) throw new AssertionError("tmux " + String.join(" ", args) + " failed: " + text);
            return text;
        } catch (IOException e) {
            throw new AssertionError("cannot run tmux (bin/test installs it): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
