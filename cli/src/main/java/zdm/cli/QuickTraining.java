package zdm.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import zdm.protocol.Paths;
import zdm.protocol.Wire;

/**
 * The training run behind the quick path's own AOT cache ({@code zdm-quick.aot}), which bin/zdm passes
 * only for the argument vectors of {@link QuickCommands}: a cache holding just those classes starts
 * ~25 ms faster than the full CLI's, whose ~2,700 classes are all loaded at start. Runs every quick
 * command against a stand-in daemon on a Unix socket in this JVM, so that no daemon (and none of
 * the full CLI's classes) is involved. Exit code 0 when every command was answered on the quick path.
 */
public final class QuickTraining {
    private QuickTraining() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: QuickTraining <empty directory>");
            System.exit(ExitCodes.USAGE);
        }
        var paths = new Paths(Path.of(args[0]).toAbsolutePath());
        Files.createDirectories(paths.home());
        var quiet = new PrintWriter(Writer.nullWriter());
        Main.class.getDeclaredMethods(); // loads Main, the entry point, into the cache too
        int code = ExitCodes.OK;
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(paths.socket()));
            Thread.ofPlatform().daemon().start(() -> answerAll(server));
            for (var vector : QuickCommands.VECTORS.keySet()) {
                if (QuickCommands.run(paths, vector.toArray(String[]::new), quiet).isEmpty()) {
                    System.err.println("the quick path did not answer: zdm " + String.join(" ", vector));
                    code = ExitCodes.FAILED;
                }
            }
        }
        System.exit(code);
    }

    /** Answers ping with a pong and anything else with a text, as the daemon would. */
    private static void answerAll(ServerSocketChannel server) {
        var json = new JsonFactory();
        while (server.isOpen()) {
            try (SocketChannel ch = server.accept()) {
                String request = new String(Wire.readFrame(ch), StandardCharsets.UTF_8);
                var bytes = new ByteArrayOutputStream();
                try (JsonGenerator g = json.createGenerator(bytes)) {
                    g.writeStartObject();
                    if (request.contains("\"ping\"")) {
                        g.writeStringField("type", "pong");
                        g.writeStringField("version", Version.VERSION);
                        g.writeNumberField("protocol", Wire.PROTOCOL_VERSION);
                        g.writeNumberField("pid", ProcessHandle.current().pid());
                        g.writeNumberField("uptimeMs", 61_000);
                        g.writeStringField("home", "/training");
                    } else {
                        g.writeStringField("type", "text");
                        g.writeStringField("text", "app  mode  port\n\033[32mweb\033[0m  fork  -\n");
                    }
                    g.writeEndObject();
                }
                Wire.writeFrame(ch, bytes.toByteArray());
            } catch (IOException | zdm.protocol.ProtocolException e) {
                return; // closed at the end of training
            }
        }
    }
}
