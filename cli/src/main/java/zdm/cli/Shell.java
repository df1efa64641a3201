package zdm.cli;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp;
import zdm.protocol.Paths;
import zdm.protocol.Response;

/**
 * The interactive shell: reads lines with JLine (completion, history in {@code <home>/shell_history},
 * Ctrl-R search) and runs each through the same picocli tree as the one-shot CLI ({@link Cli#run}),
 * so commands, options, output and errors are identical. A failing command prints its error and the
 * shell goes on; Ctrl-C cancels the line being typed or interrupts the running command.
 */
final class Shell {
    static final List<String> EXIT_WORDS = List.of("exit", "quit");
    /** How long the prompt and the Tab key wait for the daemon's list of apps. */
    static final Duration PEEK_TIMEOUT = Duration.ofSeconds(1);
    private static final AtomicBoolean OPEN = new AtomicBoolean(); // one shell per JVM: never nest one
    /** The open shell's terminal, which commands that read keys (ls -w, monit, follows) share; null when none. */
    private static volatile Terminal current;
    /** What 'help' adds inside the shell, after the commands that run there. */
    static final String SHELL_HELP = """

            In this shell:
              clear              clear the screen (also Ctrl-L)
              exit, quit         leave the shell (also Ctrl-D)
              ls -w, monit, logs -f, events -f run until q or Ctrl-C, then the prompt comes back.
            """;

    private final CliContext context;
    private final Terminal terminal;
    private final PrintWriter out;
    private final DaemonPeek peek;
    private final ShellPrompt prompt;
    private final Object lock = new Object();
    private Thread running; // the thread of the command being run, null at the prompt; guarded by lock

    private Shell(CliContext context, Terminal terminal) {
        this.peek = new DaemonPeek(context, PEEK_TIMEOUT);
        this.terminal = terminal;
        this.out = terminal.writer();
        this.prompt = new ShellPrompt(peek);
        this.context = new CliContext(context.paths(), paths -> startAgain(context.starter(), paths), context.environment());
    }

    /** True when stdin and stdout are a terminal, where {@code zdm} alone opens the shell. */
    static boolean interactive() {
        Console console = System.console();
        return console != null && console.isTerminal();
    }

    static boolean isOpen() {
        return OPEN.get();
    }

    /** The terminal of the open shell, or null outside one. */
    static Terminal terminal() {
        return current;
    }

    /** Runs the shell until exit, quit or Ctrl-D; returns the exit code of the shell itself (0). */
    static int open(CliContext context) throws CliException {
        if (!OPEN.compareAndSet(false, true)) {
            throw new CliException(ExitCodes.USAGE, "already in the zdm shell; type a command, or 'exit' to leave");
        }
        try {
            if (!interactive()) {
                throw new CliException(ExitCodes.USAGE, "the shell needs a terminal on stdin and stdout;"
                        + " in scripts run one command per zdm call, e.g. 'zdm ls'");
            }
            try (Terminal terminal = TerminalBuilder.builder().system(true).name("zdm").build()) {
                current = terminal;
                return new Shell(context, terminal).loop();
            } catch (IOException e) {
                throw new CliException(ExitCodes.FAILED, "cannot open the terminal for the shell: " + e.getMessage(),
                        List.of(), e);
            }
        } finally {
            current = null;
            OPEN.set(false);
        }
    }

    private int loop() throws CliException {
        LineReader reader = reader();
        terminal.handle(Signal.INT, signal -> interruptCommand()); // readLine installs its own meanwhile
        out.println("zdm " + Version.VERSION + " shell (home " + context.paths().home() + ")");
        out.println("Tab completes, Ctrl-R searches history, 'help' lists commands, 'exit' or Ctrl-D leaves.");
        while (true) {
            try {
                reader.readLine(prompt.next());
            } catch (UserInterruptException e) {
                Thread.interrupted(); // Ctrl-C while typing: drop the line
                continue;
            } catch (EndOfFileException e) {
                out.println();
                break;
            }
            List<String> words = words(reader.getParsedLine().words());
            if (words.isEmpty()) continue;
            if (words.size() == 1 && EXIT_WORDS.contains(words.getFirst())) break;
            String command = words.stream().filter(w -> !w.startsWith("-")).findFirst().orElse("");
            if (command.equals("shell")) {
                out.println("zdm: already in the zdm shell; type a command, or 'exit' to leave");
                continue;
            }
            if (CommandCompleter.NOT_IN_SHELL.contains(command)) {
                out.println("zdm: '" + command + "' does not run inside the shell; leave it and run 'zdm " + command + "'");
                continue;
            }
            if (words.equals(List.of("clear"))) {
                terminal.puts(InfoCmp.Capability.clear_screen);
                terminal.flush();
                continue;
            }
            run(words);
            if (words.equals(List.of("help"))) out.print(SHELL_HELP);
        }
        ShellHistory.save(reader, out);
        return ExitCodes.OK;
    }

    private LineReader reader() throws CliException {
        var commands = Cli.commandLine(context, out, out).getCommandSpec();
        var completer = new CommandCompleter(commands, new AppNameCompleter(peek));
        return LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("zdm")
                .completer(completer)
                .variable(LineReader.HISTORY_FILE, ShellHistory.file(context.paths()))
                .variable(LineReader.HISTORY_SIZE, 1000)
                .variable(LineReader.HISTORY_FILE_SIZE, 1000)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!' in an env value is not history
                .build();
    }

    /** Runs one command line like the one-shot CLI does, interruptible by Ctrl-C; its exit code only ends up in the output. */
    private void run(List<String> words) {
        synchronized (lock) {
            running = Thread.currentThread();
        }
        try {
            Cli.run(context, words.toArray(String[]::new), out, out);
        } finally {
            synchronized (lock) {
                running = null;
            }
            Thread.interrupted(); // a Ctrl-C that came as the command ended must not hit the next prompt
        }
    }

    private void interruptCommand() {
        boolean interrupted;
        synchronized (lock) {
            interrupted = running != null;
            if (interrupted) running.interrupt(); // closes its socket: the command ends with "interrupted"
        }
        if (interrupted) {
            out.println(); // after the terminal's "^C", so that the command's last words start a line
            out.flush();
        }
    }

    /** The words of a line, without a leading "zdm" (typed out of habit) and a trailing empty word. */
    static List<String> words(List<String> parsed) {
        var words = new ArrayList<>(parsed);
        if (!words.isEmpty() && words.getLast().isEmpty()) words.removeLast();
        if (!words.isEmpty() && words.getFirst().equals("zdm")) words.removeFirst();
        return words;
    }

    /** A daemon that stopped while the shell was open is started again, and the user is told so. */
    private Response.Pong startAgain(DaemonStarter starter, Paths paths) throws CliException {
        if (prompt.sawDaemon()) {
            out.println("zdm: the daemon stopped while this shell was open (see " + paths.daemonLog() + "); starting it again");
            out.flush();
        }
        return starter.start(paths);
    }
}
