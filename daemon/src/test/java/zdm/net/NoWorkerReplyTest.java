package zdm.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A request answered 503 because no worker connection opened gives back what it held: a POST whose whole body
 * arrived with its head keeps that body (a slice of the connection's input buffer) for a retry, and the 503 path is
 * the one way out of a connection where the request was never sent.
 */
class NoWorkerReplyTest {
    private static final int REQUESTS = 2000;
    private static final int BODY_BYTES = 1000;

    @Test
    void postsAnswered503DoNotKeepTheirBodies() throws Exception {
        var pool = (PooledByteBufAllocator) ProxyLoops.ALLOCATOR;
        String body = "b".repeat(BODY_BYTES);
        String post = "POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: " + BODY_BYTES + "\r\n\r\n" + body;
        try (var listener = PortListener.open("web", FreePorts.reserve(), Duration.ZERO, ProxyProtocol.HTTP)) {
            for (int i = 0; i < 50; i++) postAndExpect503(listener.port(), post);
            long before = used(pool);
            for (int i = 0; i < REQUESTS; i++) postAndExpect503(listener.port(), post);
            long grown = used(pool) - before;
            System.out.println("pooled memory grown over " + REQUESTS + " 503s: " + grown + " bytes");
            // A kept body holds the connection's whole input buffer (a few KiB each: over 4 MiB for 2,000); the pool's own arenas move by a chunk or two.
            assertTrue(grown < 2L << 20, "pooled memory grew by " + grown + " bytes over " + REQUESTS
                    + " requests answered 503: their bodies were kept");
        }
    }

    private static void postAndExpect503(int port, String post) throws Exception {
        try (var client = new HttpTestClient(port)) {
            client.send(post);
            assertEquals(503, client.read("POST").status());
        }
    }

    private static long used(PooledByteBufAllocator pool) {
        return pool.metric().usedDirectMemory() + pool.metric().usedHeapMemory();
    }
}
