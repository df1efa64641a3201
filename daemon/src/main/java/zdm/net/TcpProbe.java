package zdm.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Checks whether a worker is listening yet. Stateless and thread-safe. */
public final class TcpProbe {
    private TcpProbe() {}

    /** True if 127.0.0.1:port accepts a TCP connection within timeout. The probe connection is closed at once. */
    public static boolean accepts(int port, Duration timeout) {
        // Socket.connect treats 0 as "wait forever"; a probe must always be bounded.
        int millis = (int) Math.clamp(timeout.toMillis(), 1L, Integer.MAX_VALUE);
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(Loopback.IPV4, port), millis);
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false; // refused, timed out, or an out-of-range port: not accepting either way
        }
    }
}
