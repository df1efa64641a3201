package zdm.it;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.protocol.Request;
import zdm.protocol.Response;

/**
 * Clients that announce large requests and send little of them cost the daemon what arrived, not
 * what was announced (with the default 60 s idle timeout, so the connections stay open throughout).
 */
@ExtendWith(ZdmHomes.class)
class GreedyClientIntegrationTest {
    ZdmHome z;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
        z.ok("ping");
    }

    @Test
    void fiveHundredConnectionsAnnouncingOneMegabyteFramesCostLessThan16MiB() throws Exception {
        long pid = z.daemonPid().orElseThrow();
        assertInstanceOf(Response.Pong.class, z.request(new Request.Ping()));
        long before = rssBytes(pid);
        var greedy = new ArrayList<SocketChannel>();
        try {
            for (int i = 0; i < 500; i++) {
                var ch = z.connect();
                ch.write(ByteBuffer.allocate(4 + 100).putInt(1 << 20).put(new byte[100]).flip()); // 100 bytes of 1 MiB
                greedy.add(ch);
            }
            // The daemon still answers, and over a few seconds (every connection read its header) stays small.
            assertInstanceOf(Response.Pong.class, z.request(new Request.Ping()));
            long most = 0;
            for (long end = System.nanoTime() + 3_000_000_000L; System.nanoTime() < end; ) {
                most = Math.max(most, rssBytes(pid) - before);
                Thread.sleep(100);
            }
            System.out.println("500 connections announcing 1 MiB frames: daemon RSS grew by at most " + (most >> 10) + " KiB");
            assertTrue(most < 16L << 20, "500 announced 1 MiB frames grew the daemon by " + (most >> 10) + " KiB");
        } finally {
            for (var ch : greedy) ch.close();
        }
        assertTrue(!z.daemonLog().contains("OutOfMemoryError"), z.daemonLog());
        assertInstanceOf(Response.Pong.class, z.request(new Request.Ping()));
    }

    private static long rssBytes(long pid) throws Exception {
        for (var line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
        throw new AssertionError("no VmRSS for " + pid);
    }
}
