package zdm.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Run in a JVM of its own with a small -XX:MaxDirectMemorySize (DirectMemoryExhaustionTest): clients that each stall
 * with a large unfinished head, with the budget's bound out of the way, until the proxy's off-heap buffers run out.
 * Prints what happened; the proxy must go on serving once they leave.
 */
public final class DirectMemoryExhaustion {
    public static void main(String[] args) throws Exception {
        int clients = Integer.parseInt(args[0]);
        var limits = new ProxyLimits(Duration.ofSeconds(60), Duration.ofSeconds(60), 1 << 20, 10_000);
        var budget = new ProxyBudget(10_000, Long.MAX_VALUE, () -> 0, Long.MAX_VALUE / 4);
        var unfinished = ("GET / HTTP/1.1\r\nHost: t\r\nX-Pad: " + "a".repeat(900 * 1024)).getBytes(StandardCharsets.US_ASCII);
        var stalled = new ArrayList<SocketChannel>();
        int refused = 0;
        try (var backend = new HttpTestBackend(1);
                var listener = PortListener.open("web", FreePorts.reserve(), Duration.ofSeconds(5), ProxyProtocol.HTTP,
                        new Traffic(), limits, budget)) {
            listener.setBackends(List.of(backend.backend()));
            for (int i = 0; i < clients; i++) {
                var channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", listener.port()));
                stalled.add(channel);
                try {
                    channel.write(ByteBuffer.wrap(unfinished));
                } catch (IOException e) {
                    refused++; // closed by the proxy while sending: its buffer was refused
                }
            }
            refused += closedByTheProxy(stalled);
            System.out.println("refused " + refused + " of " + clients);
            for (var channel : stalled) channel.close();
            try (var client = new HttpTestClient(listener.port())) {
                System.out.println("after: " + client.get("/id").status());
            }
        }
    }

    /** How many of {@code channels} the proxy closed, once that number has not changed for a second (20 s at most). */
    private static int closedByTheProxy(List<SocketChannel> channels) throws Exception {
        var closed = new HashSet<SocketChannel>();
        var buffer = ByteBuffer.allocate(1024);
        for (var channel : channels) channel.configureBlocking(false);
        long deadline = System.nanoTime() + 20_000_000_000L;
        int last = -1;
        int steady = 0;
        while (steady < 5 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            for (var channel : channels) {
                try {
                    if (channel.read(buffer.clear()) < 0) closed.add(channel);
                } catch (IOException e) {
                    closed.add(channel);
                }
            }
            steady = closed.size() == last && last > 0 ? steady + 1 : 0;
            last = closed.size();
        }
        return closed.size();
    }
}
