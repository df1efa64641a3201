package zdm.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The app's Traffic counts each byte once, in every proxy mode, and outlives a listener. */
@Timeout(30)
class TrafficTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void tunnelsCountBothDirectionsAndConnections() throws Exception {
        var traffic = new Traffic();
        var payload = new byte[3 * 1024 * 1024 + 7];
        new Random(1).nextBytes(payload);
        for (var protocol : List.of(ProxyProtocol.TCP, ProxyProtocol.AUTO)) { // AUTO: sniffed bytes, then a tunnel
            try (var backend = TestBackend.echo(1);
                 var listener = PortListener.open("web", FreePorts.reserve(), WAIT, protocol, traffic)) {
                listener.setBackends(List.of(backend.backend()));
                assertArrayEquals(payload, TestClient.exchange(listener.port(), payload));
            }
        }
        assertEquals(2, traffic.connections());
        assertEquals(2L * payload.length, traffic.bytesIn(), "sniffed bytes are counted once, not again by the tunnel");
        assertEquals(2L * payload.length, traffic.bytesOut());
    }
}
