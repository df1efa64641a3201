package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import zdm.protocol.Request;
import zdm.protocol.Response;

/** Idle floods and silent clients cost the daemon bounded resources and never lock a real client out. */
class ProtocolAbuseIntegrationTest {
    ZdmHome z;

    @BeforeEach
    void setUp() throws Exception {
        z = new ZdmHome();
        z.env.put("ZDM_CLIENT_IDLE_MS", "1500");
        z.ok("ping");
    }

    @AfterEach
    void tearDown() {
        z.close();
    }

    private SocketChannel connect() throws Exception {
        var ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(z.paths().socket()));
        return ch;
    }

    @Test
    void thousandsOfIdleConnectionsDoNotLockOutARealClient() throws Exception {
        var idle = new ArrayList<SocketChannel>();
        try {
            for (int i = 0; i < 1500; i++) idle.add(connect());
            long t0 = System.nanoTime();
            assertInstanceOf(Response.Pong.class, z.request(new Request.Ping()));
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "answered promptly");
            // Every idle one is closed by the daemon: evicted (oldest first) or timed out.
            for (var ch : idle) {
                ch.configureBlocking(true);
                Await.until(ZdmHome.SHORT, () -> readsEof(ch), "the daemon closes an idle connection");
            }
        } finally {
            for (var ch : idle) ch.close();
        }
        assertInstanceOf(Response.Pong.class, z.request(new Request.Ping()));
    }

    @Test
    void aClientThatStopsMidFrameIsClosedAfterTheIdleTimeout() throws Exception {
        try (var ch = connect()) {
            ch.write(ByteBuffer.allocate(6).putInt(100).put((byte) '{').put((byte) '"').flip()); // 2 of 100 bytes
            long t0 = System.nanoTime();
            Await.until(ZdmHome.SHORT, () -> readsEof(ch), "closed");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 1000, "not before the idle timeout: " + ms + " ms");
        }
        assertEquals("pong", z.ok("ping").out().substring(0, 4));
    }

    /** True once the peer closed: a read returns -1 or fails. */
    private static boolean readsEof(SocketChannel ch) {
        try {
            ch.configureBlocking(false);
            int n = ch.read(ByteBuffer.allocate(256));
            return n < 0;
        } catch (Exception e) {
            return true;
        }
    }
}
