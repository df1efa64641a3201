package zdm.net;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client connections open per IP address on one port, for {@code max_connections_per_address}: one address (a
 * single misbehaving host) cannot take all of an app's {@code max_connections}. An address with none is absent, so
 * the map holds only addresses connected now. Thread-safe: connections open and close on different loops.
 */
final class AddressCounts {
    private final int limit;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

    /** @param limit connections per address; 0: unlimited, and nothing is counted */
    AddressCounts(int limit) {
        this.limit = limit;
    }

    /**
     * Counts the connection for its address and forgets it when it closes; false (and not counted) if its address
     * already has {@code limit} open.
     */
    boolean admit(Channel client) {
        if (limit == 0) return true;
        var address = ((InetSocketAddress) client.remoteAddress()).getAddress();
        boolean[] admitted = {false};
        open.compute(address, (a, count) -> {
            int now = count == null ? 0 : count;
            if (now >= limit) return count;
            admitted[0] = true;
            return now + 1;
        });
        if (admitted[0]) {
            client.closeFuture().addListener(done -> open.computeIfPresent(address, (a, count) -> count == 1 ? null : count - 1));
        }
        return admitted[0];
    }
}
