package zdm.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * (Not a daemon test: the proxy in a JVM of its own.) When the proxy's off-heap buffers reach the JVM's cap (-XX:MaxDirectMemorySize, which -XX:+ExitOnOutOfMemoryError
 * does not cover), the connection that wanted a buffer is closed and the proxy goes on: run in a JVM of its own with
 * a 16 MiB cap, 40 clients that each stall with 900 KiB of a head (the budget's bound out of the way).
 */
@Timeout(120)
class DirectMemoryExhaustionTest {
    @Test
    void aRefusedBufferClosesItsConnectionAndTheProxyGoesOn() throws Exception {
        var javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var child = new ProcessBuilder(javaCommand, "-XX:MaxDirectMemorySize=16m", "-XX:+ExitOnOutOfMemoryError",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                DirectMemoryExhaustion.class.getName(), "40").redirectErrorStream(true).start();
        var out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(90, TimeUnit.SECONDS), out);
        System.out.print(out);
        assertEquals(0, child.exitValue(), out);
        assertTrue(out.contains("after: 200"), "a request served after the exhaustion: " + out);
        // 16 MiB hold at most 17 of these heads: every other connection was refused a buffer and closed (not left
        // open holding what it had, which would keep the memory exhausted).
        var refused = Pattern.compile("refused (\\d+) of").matcher(out);
        assertTrue(refused.find(), out);
        assertTrue(Integer.parseInt(refused.group(1)) >= 40 - 17, "refused and closed: " + out);
    }
}
