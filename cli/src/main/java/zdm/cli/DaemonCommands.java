package zdm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.function.Consumer;
import picocli.CommandLine;
import zdm.daemon.DaemonMain;
import zdm.log.DaemonLog;
import zdm.protocol.Paths;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.server.CommandRunner;
import zdm.view.Tty;

/**
 * The daemon's side of the fast path ({@link FastPath}): runs a client's command line with the same
 * picocli tree the client would have built, for the caller's directory, environment, time zone and
 * terminal, and streams what it prints. The command talks to this daemon over its own socket like
 * any client (same user: the socket admits only the daemon's uid, and the client talks only to a
 * daemon of its own), so it behaves exactly as it would in the client. picocli and the commands are
 * loaded at the first such request, not when the daemon starts.
 *
 * <p>Answers {@code RunHere} (the client runs it) for what needs the caller's own process: the
 * commands of launch.conf's "full:" line, a {@link CallerBound} command that says so, and arguments
 * naming the caller's own file descriptors ({@code /dev/stdin}, {@code <(...)}'s {@code /dev/fd/63}),
 * which would be the daemon's here. And for a client of another build, with a notice: the daemon
 * would run its own, older or newer, commands.
 */
final class DaemonCommands implements CommandRunner {
    private final Paths paths;
    /** Read when the daemon starts: a later rebuild or upgrade may replace launch.conf in the jar. */
    private final String build = LaunchConf.BUILD;
    private final long pid = ProcessHandle.current().pid();
    private final HelpCache helpPages = new HelpCache();

    DaemonCommands(Paths paths) {
        this.paths = paths;
    }

    /** What {@code zdm daemon} hosts the daemon with: this runner for the fast path. */
    static DaemonMain.Host host(Paths paths) {
        var commands = new DaemonCommands(paths);
        return new DaemonMain.Host() {
            @Override
            public CommandRunner commands() {
                return commands;
            }
        };
    }

    @Override
    public Response run(Request.Run run, Consumer<Response> send) {
        if (!build.equals(run.build())) {
            return new Response.RunHere("the running daemon (pid " + pid + ") is of another zdm build (" + build
                    + "; this zdm: " + run.build() + "), so commands run here, more slowly; restart the daemon to"
                    + " update it ('zdm kill', then any command: its apps stop and start again)");
        }
        String[] args = run.args().toArray(String[]::new);
        if (args.length == 0 || LaunchConf.FULL.contains(args[0]) || run.args().stream().anyMatch(DaemonCommands::callersOwn)) {
            return new Response.RunHere(null);
        }
        CliContext context;
        try {
            Path cwd = Path.of(run.cwd());
            if (!cwd.isAbsolute()) return new Response.RunHere(null);
            ZoneId zone = CallerZone.of(run.zone());
            if (zone == null) return new Response.RunHere(null); // a zone the client's JVM works out for itself
            var caller = new CliContext.Caller(cwd, zone,
                    new Tty(run.terminal(), run.colour(), Math.max(0, run.width())));
            context = new CliContext(paths, DaemonStarter.NEVER, run.env(), caller);
        } catch (DateTimeException | java.nio.file.InvalidPathException e) {
            return new Response.RunHere(null); // the client's own JVM knows what it meant
        }
        var recorder = new HelpCache.Recorder(send);
        var out = new PrintWriter(new Frames(recorder, false), false);
        var err = new PrintWriter(new Frames(recorder, true), false);
        int quick = QuickCommands.run(args, context, out, err); // before anything that loads picocli
        if (quick >= 0) return new Response.Exit(quick);
        var page = new HelpCache.Key(run.args(), Cli.helpWidth(context.tty()), context.helpAnsi() == CommandLine.Help.Ansi.ON);
        if (helpPages.replay(page, send)) return new Response.Exit(ExitCodes.OK);
        try {
            CommandLine commandLine = Cli.commandLineFor(args, context, out, err);
            Plan plan = plan(commandLine, args);
            if (plan == Plan.RUN_HERE) return new Response.RunHere(null);
            if (plan == Plan.FOLLOW) send.accept(new Response.Follows());
            int code = commandLine.execute(args);
            out.flush();
            err.flush();
            if (plan == Plan.HELP && code == ExitCodes.OK) helpPages.keep(page, recorder);
            return new Response.Exit(code);
        } catch (UncheckedIOException e) {
            throw e; // the client is gone
        } catch (RuntimeException e) {
            DaemonLog.error("zdm " + String.join(" ", args) + " failed in the daemon", e);
            err.println("zdm: internal error: " + e + " (stack trace in " + paths.daemonLog() + ")");
            return new Response.Exit(ExitCodes.FAILED);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** How the daemon runs a parsed command line. */
    private enum Plan {
        /** Prints and exits. */
        RUN,
        /** Streams until the client goes ({@code logs -f}): the client then waits without a time limit. */
        FOLLOW,
        /** Prints a help page, which {@link HelpCache} keeps. */
        HELP,
        /** Needs the caller's own process. */
        RUN_HERE
    }

    /** A command line that does not parse runs here: its usage error is the same anywhere. */
    private static Plan plan(CommandLine commandLine, String[] args) {
        CommandLine.ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            return Plan.RUN;
        }
        boolean follows = false;
        for (CommandLine c : parsed.asCommandLineList()) {
            if (c.isVersionHelpRequested()) return Plan.RUN;
            if (c.isUsageHelpRequested() || c.getCommand() instanceof HelpCommand) return Plan.HELP;
        }
        for (CommandLine c : parsed.asCommandLineList()) {
            if (c.getCommand() instanceof CallerBound bound) {
                if (bound.needsCallersProcess()) return Plan.RUN_HERE;
                follows |= bound.follows();
            }
        }
        if (!parsed.hasSubcommand()) return Plan.RUN_HERE; // zdm alone: the shell, or the usage where there is no terminal
        return follows ? Plan.FOLLOW : Plan.RUN;
    }

    /** A path that means the caller's own process (its fds), which in the daemon would be the daemon's. */
    private static boolean callersOwn(String arg) {
        return arg.startsWith("/dev/fd/") || arg.startsWith("/dev/std") || arg.startsWith("/proc/self/")
                || arg.startsWith("/proc/thread-self/") || arg.equals("/dev/tty") || arg.contains("=/dev/fd/")
                || arg.contains("=/proc/self/");
    }

    /** A command's stdout or stderr: each flush sends what was printed since the last one. */
    private static final class Frames extends Writer {
        private final Consumer<Response> send;
        private final boolean err;
        private final StringBuilder pending = new StringBuilder();

        Frames(Consumer<Response> send, boolean err) {
            this.send = send;
            this.err = err;
        }

        @Override
        public void write(char[] chars, int off, int len) {
            synchronized (pending) {
                pending.append(chars, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            String text;
            synchronized (pending) {
                if (pending.isEmpty()) return;
                text = pending.toString();
                pending.setLength(0);
            }
            try {
                send.accept(new Response.Output(text, err));
            } catch (UncheckedIOException e) {
                throw e.getCause(); // PrintWriter's checkError() then says the output is closed
            }
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
