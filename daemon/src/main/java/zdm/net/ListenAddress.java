package zdm.net;

import java.net.InetAddress;

/**
 * Where a Node app without {@code port:} listens, as zdm's preload saw it in the app's own
 * {@code listen(port, host)}: the port and the address the daemon binds the shared socket to. A host of
 * {@code null} (none given, or {@code ::}) is the dual-stack wildcard, what node binds then; a name was
 * resolved by the preload (node's own dns.lookup), so only literals arrive here.
 *
 * @param port 1..65535
 * @param host an IP literal, or null for the wildcard
 */
public record ListenAddress(int port, String host) {
    public ListenAddress {
        if (port <= 0 || port > 65535) throw new IllegalArgumentException("port " + port);
        if (host != null && (host.isBlank() || host.equals("::"))) host = null;
        if (host != null) InetAddress.ofLiteral(host); // IllegalArgumentException for anything but an IP literal
    }

    /**
     * The preload's request line, {@code "<port> <host>"} ({@code "<port>"} for no host).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static ListenAddress parse(String line) {
        String[] parts = line.strip().split(" ", 2);
        try {
            return new ListenAddress(Integer.parseInt(parts[0]), parts.length > 1 ? parts[1].strip() : null);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port: " + parts[0]);
        }
    }

    /** The address to bind, null for the wildcard. */
    public InetAddress address() {
        return host == null ? null : InetAddress.ofLiteral(host);
    }

    /** "3000" or "127.0.0.1:3000", as a person reads it. */
    public String display() {
        return host == null ? Integer.toString(port) : (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
