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
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import zdm.protocol.Paths;
import zdm.protocol.Response;
import zdm.protocol.Wire;
import zdm.view.Tty;

/**
 * {@code zdm ls} and {@code zdm ping}, the commands typed most, answered without building the picocli
 * tree or Jackson's data binding: in a fresh JVM those two cost ~100 ms and ~160 ms, most of a short
 * command's run (docs/benchmarks.md, "CLI start-up"). The daemon renders the table ({@code
 * Request.ListText}) and the answer is read with Jackson's streaming parser.
 *
 * <p>Only the exact argument vectors of {@link #VECTORS} come here, so there is nothing to parse:
 * picocli stays the one definition of every command's syntax. Anything else, and any trouble on the
 * way (no daemon yet, a daemon that does not know the request, an error answer, a malformed frame),
 * returns empty and the full CLI runs the command from the start; both commands only read, so asking
 * twice is harmless, and nothing is printed before the whole answer is in. QuickCommandsTest checks
 * that both paths print the same.
 */
final class QuickCommands {
    enum Kind { TABLE, JSON, PING }

    /** The "quick:" lines of bin/lib/launch.conf, which bin/zdm reads too (to pick this path's AOT cache). */
    static final Map<List<String>, Kind> VECTORS = LaunchConf.QUICK;

    private static final JsonFactory JSON = new JsonFactory();

    private QuickCommands() {}

    /** {@link #run(Paths, String[], PrintWriter)} against the home of {@code ZDM_HOME} (or ~/.zdm). */
    static OptionalInt run(String[] args, PrintWriter out) {
        if (!VECTORS.containsKey(List.of(args))) return OptionalInt.empty();
        try {
            return run(Paths.fromEnvironment(), args, out);
        } catch (RuntimeException e) {
            return OptionalInt.empty(); // e.g. a ZDM_HOME that is no path: the full CLI says so
        }
    }

    /** The exit code when {@code args} was answered here; empty when the full CLI must run it. */
    static OptionalInt run(Paths paths, String[] args, PrintWriter out) {
        Kind kind = VECTORS.get(List.of(args));
        if (kind == null) return OptionalInt.empty();
        if (!Files.exists(paths.socket(), LinkOption.NOFOLLOW_LINKS)) return OptionalInt.empty(); // the full CLI starts one
        if (Files.exists(paths.stateLost(), LinkOption.NOFOLLOW_LINKS)) return OptionalInt.empty(); // the full CLI reports it
        // Two slow first uses in a fresh JVM overlap: opening a Unix socket seeds a SecureRandom (~25 ms)
        // on a second thread while this one encodes the request and warms the parser, whose first use
        // initialises java.math.BigDecimal (~15 ms).
        var opening = new FutureTask<>(() -> SocketChannel.open(StandardProtocolFamily.UNIX));
        Thread.ofPlatform().daemon().start(opening);
        try (var ch = new Opening(opening)) {
            byte[] request = request(kind, kind == Kind.TABLE ? Tty.detect() : Tty.PLAIN);
            topLevelFields(new byte[] {'{', '}'});
            Map<String, Object> answer = exchange(ch.get(), paths, request);
            String text = answer == null ? null : switch (kind) {
                case PING -> "pong".equals(answer.get("type")) ? PingCommand.line(pong(answer)) + "\n" : null;
                case TABLE, JSON -> "text".equals(answer.get("type")) && answer.get("text") instanceof String s ? s : null;
            };
            if (text == null) return OptionalInt.empty();
            out.print(text);
            out.flush();
            return OptionalInt.of(ExitCodes.OK);
        } catch (Stuck e) {
            // Asking again would only wait as long once more.
            System.err.println("zdm: " + DaemonClient.stuck(paths));
            return OptionalInt.of(ExitCodes.DAEMON);
        } catch (IOException | RuntimeException | ExecutionException e) {
            return OptionalInt.empty(); // the full CLI asks again and reports whatever is wrong
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    /** The daemon stayed silent past the reply timeout. */
    private static final class Stuck extends RuntimeException {
        Stuck() {
            super(null, null, false, false);
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

    /** The request in its envelope, as {@link Wire#send} would encode {@code Request.Ping} or {@code Request.ListText}. */
    static byte[] request(Kind kind, Tty tty) throws IOException {
        var bytes = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeNumberField("v", Wire.PROTOCOL_VERSION);
            g.writeObjectFieldStart("request");
            if (kind == Kind.PING) {
                g.writeStringField("type", "ping");
            } else {
                g.writeStringField("type", "list-text");
                g.writeBooleanField("json", kind == Kind.JSON);
                g.writeBooleanField("terminal", tty.terminal());
                g.writeBooleanField("colour", tty.colour());
                g.writeNumberField("width", tty.width());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        return bytes.toByteArray();
    }

    /** The final answer's top-level fields, or null when no daemon listens. */
    private static Map<String, Object> exchange(SocketChannel ch, Paths paths, byte[] request) throws IOException {
        var silence = new SilenceGuard(ch, DaemonClient.REPLY_TIMEOUT);
        try (silence) {
            ch.connect(UnixDomainSocketAddress.of(paths.socket()));
            if (DaemonIdentity.refusal(ch, paths.socket()) != null) return null; // the full CLI refuses, in words
            Wire.writeFrame(ch, request);
            silence.arm();
            byte[] frame = Wire.readFrame(ch);
            return frame == null ? null : topLevelFields(frame);
        } catch (zdm.protocol.ProtocolException e) {
            return null;
        } catch (IOException e) {
            if (silence.fired()) throw new Stuck();
            throw e;
        }
    }

    /** A JSON object's scalar fields (strings, integers, booleans, nulls); nested values are skipped. */
    static Map<String, Object> topLevelFields(byte[] json) throws IOException {
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

    private static Response.Pong pong(Map<String, Object> f) {
        return new Response.Pong((String) f.get("version"), ((Long) f.get("protocol")).intValue(),
                (Long) f.get("pid"), (Long) f.get("uptimeMs"), (String) f.get("home"));
    }
}
