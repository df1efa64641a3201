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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import zdm.protocol.Paths;
import zdm.protocol.Wire;

/**
 * The training run behind the fast path's own AOT cache ({@code zdm-fast.aot}), which bin/zdm passes
 * to the commands that take the fast path: a cache holding just {@link FastPath}'s classes starts
 * ~25 ms faster than the full CLI's, whose ~2,700 classes are all loaded at start. Runs a few
 * commands against a stand-in daemon on a Unix socket in this JVM, so that no daemon (and none of
 * the full CLI's classes) is involved. Exit code 0 when every command was answered on the fast path.
 */
public final class FastTraining {
    private FastTraining() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: FastTraining <empty directory>");
            System.exit(ExitCodes.USAGE);
        }
        var paths = new Paths(Path.of(args[0]).toAbsolutePath());
        Files.createDirectories(paths.home());
        var quiet = new PrintWriter(Writer.nullWriter());
        int code = ExitCodes.OK;
        Main.class.getDeclaredMethods(); // loads Main, the entry point, into the cache too
        if (HelpPages.plainPage(new String[] {"help", "start"}, Map.of()) == null) { // the help pages in the jar, read
            System.err.println("no help page for zdm help start in the jar");
            code = ExitCodes.FAILED;
        }
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(paths.socket()));
            Thread.ofPlatform().daemon().start(() -> answerAll(server));
            for (var words : List.of(new String[] {"ls"}, new String[] {"describe", "web"}, new String[] {"logs", "-n", "20"})) {
                if (!FastPath.applies(words) || FastPath.run(paths, words, quiet, quiet).isEmpty()) {
                    System.err.println("the fast path did not answer: zdm " + String.join(" ", words));
                    code = ExitCodes.FAILED;
                }
            }
        }
        System.exit(code);
    }

    /** Answers every request as the daemon answers a Run: some output on both streams, then the exit code. */
    private static void answerAll(ServerSocketChannel server) {
        var json = new JsonFactory();
        while (server.isOpen()) {
            try (SocketChannel ch = server.accept()) {
                Wire.readFrame(ch);
                for (String type : List.of("follows", "output", "output-err", "exit")) {
                    var bytes = new ByteArrayOutputStream();
                    try (JsonGenerator g = json.createGenerator(bytes)) {
                        g.writeStartObject();
                        switch (type) {
                            case "output", "output-err" -> {
                                g.writeStringField("type", "output");
                                g.writeStringField("text", "app  mode  port\n\033[32mweb\033[0m  fork  -\n");
                                g.writeBooleanField("err", type.equals("output-err"));
                            }
                            case "exit" -> {
                                g.writeStringField("type", "exit");
                                g.writeNumberField("code", 0);
                            }
                            default -> g.writeStringField("type", type);
                        }
                        g.writeEndObject();
                    }
                    Wire.writeFrame(ch, bytes.toByteArray());
                }
            } catch (IOException | zdm.protocol.ProtocolException e) {
                return; // closed at the end of training
            }
        }
    }
}
