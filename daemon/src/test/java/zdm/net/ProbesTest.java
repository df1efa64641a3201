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

    @Test
    void zeroTimeoutProbeIsStillBounded() {
        assertFalse(TcpProbe.accepts(1, Duration.ZERO)); // port 1 on loopback: refused
    }
}
