package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.test.Await;

/** Idle floods and silent clients cost the daemon bounded resources and never lock a real client out. */
@ExtendWith(ZdmHomes.class)
class ProtocolAbuseIntegrationTest {
    ZdmHome z;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
        z.env.put("ZDM_CLIENT_IDLE_MS", "1500");
        z.ok("ping");
    }

    @Test
    void thousandsOfIdleConnectionsDoNotLockOutARealClient() throws Exception {
        var idle = new ArrayList<SocketChannel>();
        try {
            for (int i = 0; i < 1500; i++) idle.add(z.connect());
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
        try (var ch = z.connect()) {
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

    @Test
    void everyRequestTypeWithEveryFieldNullGetsAnAnswer() throws Exception {
        var names = new java.util.LinkedHashMap<String, Class<?>>(zdm.protocol.Wire.requestTypes());
        assertEquals(Request.class.getPermittedSubclasses().length, names.size(), "every request type is listed");
        // shutdown last: its answer is that the daemon stops
        var shutdown = names.remove("shutdown");
        names.put("shutdown", shutdown);
        var unanswered = new ArrayList<String>();
        for (var e : names.entrySet()) {
            var fields = new StringBuilder("{\"type\":\"" + e.getKey() + "\"");
            for (var c : e.getValue().getRecordComponents()) fields.append(",\"").append(c.getName()).append("\":null");
            fields.append("}");
            for (String body : new String[] {"{\"v\":1,\"request\":" + fields + "}", "{\"v\":1,\"request\":{\"type\":\"" + e.getKey() + "\"}}"}) {
                if (e.getKey().equals("shutdown") && body.endsWith("}}") && !body.contains("null")) continue;
                try (var ch = z.connect()) {
                    zdm.protocol.Wire.writeFrame(ch, body.getBytes());
                    Response r = null;
                    while (r == null || !r.isFinal()) {
                        var frame = zdm.protocol.Wire.readFrame(ch);
                        if (frame == null) break;
                        r = zdm.protocol.Wire.decodeResponse(frame);
                    }
                    if (r == null || !r.isFinal()) unanswered.add(body);
                    else if (r instanceof Response.Failed f && f.kind() != zdm.protocol.ErrorKind.BAD_REQUEST
                            && f.kind() != zdm.protocol.ErrorKind.NOT_FOUND) {
                        unanswered.add(body + " -> " + f.kind() + " " + f.message());
                    }
                }
            }
        }
        try (var ch = z.connect()) {
            zdm.protocol.Wire.writeFrame(ch, "{\"v\":1,\"request\":null}".getBytes());
            var f = assertInstanceOf(Response.Failed.class, zdm.protocol.Wire.decodeResponse(zdm.protocol.Wire.readFrame(ch)));
            assertEquals(zdm.protocol.ErrorKind.BAD_REQUEST, f.kind(), f.message());
        }
        assertEquals(List.of(), unanswered, "closed without an answer, or not a bad-request answer");
        assertTrue(!z.daemonLog().contains("NullPointerException"), z.daemonLog());
    }

}
