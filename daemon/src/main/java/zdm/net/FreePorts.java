package zdm.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/** Hands out loopback ports for workers to listen on. Stateless and thread-safe. */
public final class FreePorts {
    private FreePorts() {}

    /**
     * A currently free loopback TCP port (bind 127.0.0.1:0, read the port, close). Another process could take it before
     * the worker binds it; the window is small and the worker then fails to start, which the supervisor reports.
     */
    public static int reserve() throws IOException {
        try (var probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress(Loopback.IPV4, 0));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }
}
