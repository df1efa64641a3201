package zdm.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Half-close through a TCP tunnel between programs none of us wrote: OpenBSD netcat ({@code nc -N} sends its input,
 * shuts its output down at the end, and reads the reply to the end) against a node {@code net} server that allows half
 * open sockets. Every byte must come back, in every round: native epoll once lost the tail of such replies
 * (EpollKeepRegistered). bin/test installs netcat-openbsd and nodejs.
 */
@Timeout(120)
class HalfCloseRealPeersTest {
    private static final int ROUNDS = 4;
    private static final int BYTES = 8 * 1024 * 1024 + 321;

    /** Echoes as it reads, and ends its side when the client's ends. */
    private static final String ECHO = """
            const server = require('net').createServer({allowHalfOpen: true}, socket => socket.pipe(socket));
            server.listen(0, '127.0.0.1', () => console.log(server.address().port));
            """;
    /** Answers only after the client's EOF, with all it received: the whole reply crosses a half-closed connection. */
    private static final String REPLY_AFTER_END = """
            const server = require('net').createServer({allowHalfOpen: true}, socket => {
              const chunks = [];
              socket.on('data', chunk => chunks.push(chunk));
              socket.on('end', () => socket.end(Buffer.concat(chunks)));
            });
            server.listen(0, '127.0.0.1', () => console.log(server.address().port));
            """;

    @TempDir
    Path dir;

    @Test
    void netcatGetsNodesWholeEchoAfterHalfClosing() throws Exception {
        roundsThrough(ECHO);
    }

    @Test
    void netcatGetsNodesWholeReplySentAfterItsEof() throws Exception {
        roundsThrough(REPLY_AFTER_END);
    }

    private void roundsThrough(String server) throws Exception {
        assumeTrue(onPath("nc") && onPath("node"), "needs nc (netcat-openbsd) and node (nodejs): bin/test installs them");
        var payload = new byte[BYTES];
        new Random(5).nextBytes(payload);
        var input = Files.write(dir.resolve("input"), payload);
        var script = Files.writeString(dir.resolve("server.js"), server);
        var node = new ProcessBuilder("node", script.toString()).redirectErrorStream(true).start();
        try (var listener = PortListener.open("web", FreePorts.reserve(), Duration.ofSeconds(5), ProxyProtocol.TCP)) {
            int port = Integer.parseInt(new BufferedReader(
                    new InputStreamReader(node.getInputStream(), StandardCharsets.US_ASCII)).readLine().trim());
            listener.setBackends(List.of(new Backend(1, port)));
            for (int round = 1; round <= ROUNDS; round++) {
                var output = dir.resolve("output-" + round);
                var nc = new ProcessBuilder("nc", "-N", "127.0.0.1", String.valueOf(listener.port()))
                        .redirectInput(input.toFile()).redirectOutput(output.toFile())
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                assertTrue(nc.waitFor(60, TimeUnit.SECONDS), "nc to end, round " + round);
                assertEquals(0, nc.exitValue(), "nc's exit status, round " + round);
                var reply = Files.readAllBytes(output);
                assertEquals(payload.length, reply.length, "bytes back in round " + round);
                assertArrayEquals(payload, reply, "round " + round);
                Files.delete(output);
            }
        } finally {
            node.destroy();
            node.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static boolean onPath(String command) throws IOException, InterruptedException {
        var which = new ProcessBuilder("sh", "-c", "command -v " + command).redirectErrorStream(true).start();
        which.getInputStream().readAllBytes();
        return which.waitFor() == 0;
    }
}
