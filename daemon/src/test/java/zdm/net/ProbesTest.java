package zdm.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProbesTest {
    @Test
    void reservedPortIsFreeAndProbeSeesWhenItListens() throws Exception {
        int port = FreePorts.reserve();
        assertTrue(port > 0 && port < 65536);
        assertFalse(TcpProbe.accepts(port, Duration.ofMillis(500)), "nothing listens yet");
        try (var server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", port)); // reserved port is bindable
            assertTrue(TcpProbe.accepts(port, Duration.ofMillis(500)));
        }
        assertFalse(TcpProbe.accepts(port, Duration.ofMillis(500)), "closed again");
    }

    /**
     * A port that neither accepts nor refuses: a listener that never accepts, its queue full, so the
     * kernel drops further SYNs and a connect waits for the retransmissions (minutes). A zero timeout
     * must not mean "wait forever" (Socket.connect's meaning of 0): the probe returns false at once.
     */
    @Test
    void zeroTimeoutProbeIsStillBounded() throws Exception {
        try (var server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = server.getLocalPort();
            var queued = new java.util.ArrayList<java.net.Socket>();
            try {
                boolean full = false;
                for (int i = 0; i < 64 && !full; i++) {
                    var s = new java.net.Socket();
                    queued.add(s);
                    try {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 300);
                    } catch (java.net.SocketTimeoutException e) {
                        full = true;
                    }
                }
                org.junit.jupiter.api.Assumptions.assumeTrue(full, "the kernel kept accepting into a full queue (tcp_abort_on_overflow?)");
                boolean accepted = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10),
                        () -> TcpProbe.accepts(port, Duration.ZERO), "a zero timeout probe hung on a port that never answers");
                assertFalse(accepted);
            } finally {
                for (var s : queued) s.close();
            }
        }
    }
}
