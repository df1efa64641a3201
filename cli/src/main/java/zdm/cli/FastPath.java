package zdm.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import zdm.protocol.Paths;
import zdm.protocol.Wire;
import zdm.view.Tty;

/**
 * The fast path: the daemon runs the command ({@code Request.Run}, zdm.cli.DaemonCommands) with its
 * command tree warm, and this JVM only sends the words and prints what comes back. In a fresh JVM,
 * building a picocli command costs ~100 ms and Jackson's data binding ~160 ms, most of a short
 * command's run (docs/benchmarks.md, "CLI start-up"); here neither is loaded: the request is written
 * and the answers read with Jackson's streaming API.
 *
 * <p>There is nothing to parse: picocli, in the daemon, stays the one definition of every command's
 * syntax, and it is the daemon that says when a command needs this process ({@code RunHere}: a watch,
 * a browser to open). The first words of launch.conf's {@code full:} line, {@code zdm} alone and
 * {@code ZDM_FAST_PATH=0} never come here. Whenever the daemon cannot run it (none running yet, so
 * the full CLI auto-starts one; a daemon of another build; a closed connection before any output)
 * this returns empty and the full CLI runs the command from the start.
 */
final class FastPath {
    private static final JsonFactory JSON = new JsonFactory();

    /** What is said when the daemon does not know {@code Request.Run}. */
    static final String OLDER_DAEMON = "the running daemon is older than this zdm and cannot run its commands,"
            + " so they run here, more slowly; restart the daemon to update it ('zdm kill', then any command:"
            + " its apps stop and start again)";

    private FastPath() {}

    /** Whether {@code args} may take the fast path, as bin/lib/launch.sh's zdm_fast_command decides. */
    static boolean applies(String[] args) {
        return args.length > 0 && !LaunchConf.FULL.contains(args[0]) && !"0".equals(System.getenv("ZDM_FAST_PATH"));
    }

    /** {@link #run(Paths, String[], PrintWriter, PrintWriter)} against the home of {@code ZDM_HOME} (or ~/.zdm). */
    static OptionalInt run(String[] args, PrintWriter out, PrintWriter err) {
        if (!"0".equals(System.getenv("ZDM_FAST_PATH"))) {
            String page = HelpPages.plainPage(args, System.getenv()); // no daemon needed, none asked
            if (page != null) {
                out.print(page);
                out.flush();
                return OptionalInt.of(ExitCodes.OK);
            }
        }
        if (!applies(args)) return OptionalInt.empty();
        try {
            return run(Paths.fromEnvironment(), args, out, err);
        } catch (RuntimeException e) {
            return OptionalInt.empty(); // e.g. a ZDM_HOME that is no path: the full CLI says so
        }
    }

    /** The exit code when the daemon ran {@code args}; empty when the full CLI must run them. */
    static OptionalInt run(Paths paths, String[] args, PrintWriter out, PrintWriter err) {
        if (!Files.exists(paths.socket(), LinkOption.NOFOLLOW_LINKS)) return OptionalInt.empty(); // the full CLI starts one
        if (Files.exists(paths.stateLost(), LinkOption.NOFOLLOW_LINKS)) return OptionalInt.empty(); // the full CLI reports it
        // Two slow first uses in a fresh JVM overlap: opening a Unix socket seeds a SecureRandom (~25 ms)
        // on a second thread while this one encodes the request and warms the parser, whose first use
        // initialises java.math.BigDecimal (~15 ms).
        var opening = new FutureTask<>(() -> SocketChannel.open(StandardProtocolFamily.UNIX));
        Thread.ofPlatform().daemon().start(opening);
        var session = new Session(paths, out, err);
        try (var ch = new Opening(opening)) {
            byte[] request = request(args, System.getProperty("user.dir"), System.getenv(), CallerZone.name(),
                    Tty.detect(), LaunchConf.BUILD);
            fields(new byte[] {'{', '}'});
            return session.exchange(ch.get(), request);
        } catch (ExecutionException | IOException | RuntimeException e) {
            return session.lost(); // the full CLI asks again and reports whatever is wrong, unless output began
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    /** One conversation: the frames of the answer, printed as they come. */
    private static final class Session {
        private final Paths paths;
        private final PrintWriter out;
        private final PrintWriter err;
        private boolean printed;
        private boolean following;

        Session(Paths paths, PrintWriter out, PrintWriter err) {
            this.paths = paths;
            this.out = out;
            this.err = err;
        }

        OptionalInt exchange(SocketChannel ch, byte[] request) throws IOException {
            var silence = new SilenceGuard(ch, DaemonClient.REPLY_TIMEOUT);
            try (silence) {
                ch.connect(UnixDomainSocketAddress.of(paths.socket()));
                if (DaemonIdentity.refusal(ch, paths.socket()) != null) return OptionalInt.empty(); // the full CLI refuses, in words
                Wire.writeFrame(ch, request);
                while (true) {
                    if (!following) silence.arm();
                    byte[] frame = Wire.readFrame(ch);
                    silence.disarm();
                    if (frame == null) return lost();
                    Map<String, Object> f = fields(frame);
                    if (f == null) return lost();
                    OptionalInt end = answer(f);
                    if (end != null) return end;
                }
            } catch (zdm.protocol.ProtocolException e) {
                return lost();
            } catch (IOException e) {
                if (silence.fired()) {
                    // Asking again would only wait as long once more.
                    err.println("zdm: " + DaemonClient.stuck(paths));
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
            err.println("zdm: " + new ConnectionClosedException(paths.daemonLog(), null).getMessage());
            err.flush();
            return OptionalInt.of(ExitCodes.DAEMON);
        }
    }

    /** The channel being opened on the other thread; closed however the command ends. */
    private record Opening(FutureTask<SocketChannel> task) implements AutoCloseable {
        SocketChannel get() throws ExecutionException, InterruptedException {
            return task.get();
        }

        @Override
        public void close() throws IOException {
            try {
                task.get().close();
            } catch (ExecutionException e) {
                // never opened: nothing to close
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code Request.Run} in its envelope, as {@link Wire#send} would encode it. */
    static byte[] request(String[] args, String cwd, Map<String, String> env, String zone, Tty tty, String build)
            throws IOException {
        var bytes = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeNumberField("v", Wire.PROTOCOL_VERSION);
            g.writeObjectFieldStart("request");
            g.writeStringField("type", "run");
            g.writeArrayFieldStart("args");
            for (String arg : args) g.writeString(arg);
            g.writeEndArray();
            g.writeStringField("cwd", cwd);
            g.writeObjectFieldStart("env");
            for (var e : env.entrySet()) g.writeStringField(e.getKey(), e.getValue());
            g.writeEndObject();
            g.writeStringField("zone", zone);
            g.writeBooleanField("terminal", tty.terminal());
            g.writeBooleanField("colour", tty.colour());
            g.writeNumberField("width", tty.width());
            g.writeStringField("build", build);
            g.writeEndObject();
            g.writeEndObject();
        }
        return bytes.toByteArray();
    }

    /** A JSON object's scalar fields (strings, integers, booleans, nulls); nested values are skipped. */
    static Map<String, Object> fields(byte[] json) throws IOException {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            var fields = new HashMap<String, Object>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                switch (p.nextToken()) {
                    case VALUE_STRING -> fields.put(name, p.getText());
                    case VALUE_NUMBER_INT -> fields.put(name, p.getLongValue());
                    case VALUE_TRUE, VALUE_FALSE -> fields.put(name, p.getBooleanValue());
                    case VALUE_NULL -> fields.put(name, null);
                    default -> p.skipChildren();
                }
            }
            return fields;
        }
    }
}
