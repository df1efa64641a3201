package zdm.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The training run behind the fast client's own AOT cache ({@code zdm-fast.aot}), which bin/zdm
 * passes to the commands that take the fast path, with {@code zdm-client.jar} alone on the class
 * path: reads a help page, and runs a few commands against a stand-in daemon on a Unix socket in
 * this JVM, so that no daemon is involved. Exit code 0 when every command was answered on the fast
 * path.
 */
public final class FastTraining {
    private FastTraining() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: FastTraining <empty directory>");
            System.exit(ExitCodes.USAGE);
        }
        var home = new Home(Path.of(args[0]).toAbsolutePath());
        Files.createDirectories(home.dir());
        // Printed for real (to /dev/null), so that the encoder's classes are in the cache too.
        var quiet = new PrintWriter(new java.io.FileOutputStream("/dev/null"), false, java.nio.charset.StandardCharsets.UTF_8);
        int code = ExitCodes.OK;
        FastMain.build(); // FastMain, the entry point, into the cache too
        if (HelpText.plainPage(new String[] {"help", "start"}, Map.of()) == null) { // the help pages in the jar, read
            System.err.println("no help page for zdm help start on the class path");
            code = ExitCodes.FAILED;
        }
        FastClient.openUnix().close(); // the first Unix socket, as the client opens it (ThreadProviders), before the stand-in's
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(home.socket()));
            Thread.ofPlatform().daemon().start(new Runnable() { // not a lambda: spinning one loads the class-file API into the cache
                @Override
                public void run() {
                    answerAll(server);
                }
            });
            for (var words : List.of(new String[] {"ls"}, new String[] {"describe", "web"}, new String[] {"logs", "-n", "20"})) {
                if (FastClient.run(home, words, quiet, quiet, "training").isEmpty()) {
                    System.err.println("the fast path did not answer: zdm " + String.join(" ", words));
                    code = ExitCodes.FAILED;
                }
            }
        }
        System.exit(code);
    }

    /** Answers every request as the daemon answers a Run: some output on both streams, then the exit code. */
    private static void answerAll(ServerSocketChannel server) {
        String text = new Json.Writer().string("app  mode  port\n\033[32mweb\033[0m  fork  \"-\" \\ ü\n").toString();
        var frames = List.of("{\"type\":\"follows\"}", "{\"type\":\"output\",\"text\":" + text + ",\"err\":false}",
                "{\"type\":\"output\",\"text\":" + text + ",\"err\":true}", "{\"type\":\"exit\",\"code\":0}");
        while (server.isOpen()) {
            try (SocketChannel ch = server.accept()) {
                Json.fields(Frames.read(ch));
                for (String frame : frames) Frames.write(ch, frame.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                return; // closed at the end of training
            }
        }
    }
}
