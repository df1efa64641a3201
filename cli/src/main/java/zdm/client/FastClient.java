package zdm.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The fast path's client: the daemon runs the command ({@code Request.Run}, zdm.cli.DaemonCommands)
 * with its command tree warm, and this JVM only sends the words and prints what comes back. In a
 * fresh JVM, building a picocli command costs ~100 ms and Jackson ~15-160 ms, most of a short
 * command's run (docs/benchmarks.md, "CLI start-up"); here neither is loaded, nor anything but the
 * JDK: this package is all of {@code zdm-client.jar}, the class path of bin/zdm's fast commands
 * (ExitCodes' constants are compiled in). The request is written and the answers read by
 * {@link Json}.
 *
 * <p>There is nothing to parse: picocli, in the daemon, stays the one definition of every command's
 * syntax, and it is the daemon that says when a command needs this process ({@code RunHere}: a watch,
 * a browser to open). Whenever the daemon cannot run it (none running yet, so the full CLI
 * auto-starts one; a daemon of another build; a closed connection before any output) this returns
 * empty and the full CLI runs the command from the start.
 */
public final class FastClient {
    /** What is said when the daemon does not know {@code Request.Run}. */
    public static final String OLDER_DAEMON = "the running daemon is older than this zdm and cannot run its commands,"
            + " so they run here, more slowly; restart the daemon to update it ('zdm kill', then any command:"
            + " its apps stop and start again)";
    /** {@code zdm.protocol.Wire.PROTOCOL_VERSION}. */
    static final int PROTOCOL_VERSION = 1;

    private FastClient() {}

    /**
     * The help page off a terminal, or else {@code args} run by the daemon of {@code ZDM_HOME} (or
     * ~/.zdm), which must be of {@code build}: the exit code, or empty when the full CLI must run them.
     */
    public static OptionalInt run(String[] args, PrintWriter out, PrintWriter err, String build) {
        OptionalInt help = help(args, out);
        if (help.isPresent()) return help;
        try {
            return run(Home.fromEnvironment(), args, out, err, build);
        } catch (RuntimeException e) {
            return OptionalInt.empty(); // e.g. a ZDM_HOME that is no path: the full CLI says so
        }
    }

    /** The help page of {@code args} off a terminal ({@link HelpText}), printed: no daemon needed, none asked. */
    public static OptionalInt help(String[] args, PrintWriter out) {
        String page = HelpText.plainPage(args, System.getenv());
        if (page == null) return OptionalInt.empty();
        out.print(page);
        out.flush();
        return OptionalInt.of(ExitCodes.OK);
    }

    /** The exit code when the daemon of {@code home} ran {@code args}; empty when the full CLI must run them. */
    public static OptionalInt run(Home home, String[] args, PrintWriter out, PrintWriter err, String build) {
        if (!Files.exists(home.socket(), LinkOption.NOFOLLOW_LINKS)) return OptionalInt.empty(); // the full CLI starts one
        if (Files.exists(home.stateLost(), LinkOption.NOFOLLOW_LINKS)) return OptionalInt.empty(); // the full CLI reports it
        var session = new Session(home, out, err);
        try (var ch = openUnix()) {
            byte[] request = request(args, System.getProperty("user.dir"), System.getenv(), ZoneName.name(),
                    Terminal.detect(), build);
            return session.exchange(ch, request);
        } catch (IOException | RuntimeException e) {
            return session.lost(); // the full CLI asks again and reports whatever is wrong, unless output began
        }
    }

    /** A Unix socket channel, without loading the JDK's security providers where the JVM lets {@link ThreadProviders} do so. */
    static SocketChannel openUnix() throws IOException {
        try {
            return ThreadProviders.openUnix();
        } catch (IllegalAccessError | NoClassDefFoundError | NoSuchMethodError e) {
            return SocketChannel.open(StandardProtocolFamily.UNIX); // no --add-exports, or a JDK whose internals differ
        }
    }

    /** One conversation: the frames of the answer, printed as they come. */
    private static final class Session {
        private final Home home;
        private final PrintWriter out;
        private final PrintWriter err;
        private boolean printed;
        private boolean following;

        Session(Home home, PrintWriter out, PrintWriter err) {
            this.home = home;
            this.out = out;
            this.err = err;
        }

        OptionalInt exchange(SocketChannel ch, byte[] request) throws IOException {
            var silence = new SilenceGuard(ch, SilenceGuard.REPLY_TIMEOUT);
            try (silence) {
                ch.connect(UnixDomainSocketAddress.of(home.socket()));
                if (DaemonIdentity.refusal(ch, home.socket()) != null) return OptionalInt.empty(); // the full CLI refuses, in words
                Frames.write(ch, request);
                while (true) {
                    if (!following) silence.arm();
                    byte[] frame = Frames.read(ch);
                    silence.disarm();
                    if (frame == null) return lost();
                    OptionalInt end = answer(Json.fields(frame));
                    if (end != null) return end;
                }
            } catch (IOException e) {
                if (silence.fired()) {
                    // Asking again would only wait as long once more.
                    err.println("zdm: " + SilenceGuard.stuck(home.daemonLog()));
                    err.flush();
                    return OptionalInt.of(ExitCodes.DAEMON);
                }
                throw e;
            }
        }

        /** Prints one frame; the exit code at the end, empty for the full path, null while more comes. */
        private OptionalInt answer(Map<String, Object> f) {
            switch (String.valueOf(f.get("type"))) {
                case "output" -> {
                    PrintWriter to = Boolean.TRUE.equals(f.get("err")) ? err : out;
                    to.print(f.get("text") instanceof String s ? s : "");
                    to.flush();
                    printed = true;
                    return null;
                }
                case "follows" -> {
                    following = true;
                    return null;
                }
                case "exit" -> {
                    return OptionalInt.of(f.get("code") instanceof Long code ? code.intValue() : ExitCodes.FAILED);
                }
                case "run-here" -> {
                    if (f.get("notice") instanceof String notice) notice(notice);
                    return OptionalInt.empty();
                }
                case "failed" -> {
                    // A daemon from before the fast path: it does not know the request.
                    notice(OLDER_DAEMON);
                    return OptionalInt.empty();
                }
                default -> {
                    return null; // a newer daemon's extra notices: nothing to show
                }
            }
        }

        private void notice(String text) {
            err.println("zdm: " + TerminalText.safe(text));
            err.flush();
        }

        /**
         * The connection ended without an exit code: before any output, the full CLI runs the command
         * (and reports a daemon that is gone); after some, running it again would print it twice.
         */
        OptionalInt lost() {
            if (!printed) return OptionalInt.empty();
            if (following) return OptionalInt.of(ExitCodes.OK); // as the full path: the daemon ended the follow (zdm kill)
            err.println("zdm: " + SilenceGuard.closed(home.daemonLog()));
            err.flush();
            return OptionalInt.of(ExitCodes.DAEMON);
        }
    }

    /** {@code Request.Run} in its envelope, as {@code zdm.protocol.Wire.send} would encode it. */
    public static byte[] request(String[] args, String cwd, Map<String, String> env, String zone, Terminal terminal, String build) {
        var w = new Json.Writer().raw("{").name("v").raw(Integer.toString(PROTOCOL_VERSION)).raw(",").name("request")
                .raw("{").name("type").string("run").raw(",").name("args").raw("[");
        for (int i = 0; i < args.length; i++) w.raw(i == 0 ? "" : ",").string(args[i]);
        w.raw("],").name("cwd").string(cwd).raw(",").name("env").raw("{");
        boolean first = true;
        for (var e : env.entrySet()) {
            w.raw(first ? "" : ",").name(e.getKey()).string(e.getValue());
            first = false;
        }
        w.raw("},").name("zone").string(zone)
                .raw(",").name("terminal").raw(Boolean.toString(terminal.terminal()))
                .raw(",").name("colour").raw(Boolean.toString(terminal.colour()))
                .raw(",").name("width").raw(Integer.toString(terminal.width()))
                .raw(",").name("build").string(build).raw("}}");
        return w.bytes();
    }
}
