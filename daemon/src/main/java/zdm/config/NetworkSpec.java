package zdm.config;

import zdm.net.ProxyProtocol;

/**
 * The app's public port and, behind the proxy, what it carries and the limits its clients get.
 *
 * @param port                     public port, or null when the app has none
 * @param listen                   who accepts on the port: the daemon ({@link Listen#PROXY}) or every worker on
 *                                 the inherited socket ({@link Listen#SOCKET}); never AUTO once validated
 * @param protocol                 what the port carries (proxy mode only)
 * @param socketFd                 listen: socket only: the descriptor the shared socket is handed as, 3 (systemd's
 *                                 LISTEN_FDS) or 0 (stdin, like StandardInput=socket/inetd: Java's inheritedChannel)
 * @param headTimeoutMs            (proxy) how long a client may take to send a request head; then 408
 * @param keepaliveTimeoutMs       (proxy) how long a keep-alive client connection may idle between requests
 * @param bodyTimeoutMs            (proxy) how long a request body may go without a byte; then 408
 * @param maxHeadBytes             (proxy) the largest request head accepted; a larger one gets 431
 * @param maxConnections           (proxy) client connections open at once; more wait in the kernel's accept queue
 * @param maxConnectionsPerAddress (proxy) client connections open at once from one IP address; 0: no limit
 * @param sendTimeoutMs            (proxy) how long bytes may wait for a client to take any; then it is closed
 */
public record NetworkSpec(Integer port, Listen listen, ProxyProtocol protocol, Integer socketFd, long headTimeoutMs,
                          long keepaliveTimeoutMs, long bodyTimeoutMs, long maxHeadBytes, int maxConnections,
                          int maxConnectionsPerAddress, long sendTimeoutMs) {
    /** node's headersTimeout. */
    public static final long DEFAULT_HEAD_TIMEOUT_MS = 60_000;
    /** nginx's keepalive_timeout, longer than the idle timeout of a load balancer in front (docs/configuration.md). */
    public static final long DEFAULT_KEEPALIVE_TIMEOUT_MS = 75_000;
    /** node's --max-http-header-size. */
    public static final long DEFAULT_MAX_HEAD_BYTES = 16 * 1024;
    /** Each costs the daemon at most ~20 KiB of heap (docs/configuration.md): 4096 stay under 80 MiB. */
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;
    /** nginx's client_body_timeout: the longest a request body may go without a byte. */
    public static final long DEFAULT_BODY_TIMEOUT_MS = 60_000;
    /** nginx's send_timeout: the longest a client may take none of what waits for it. */
    public static final long DEFAULT_SEND_TIMEOUT_MS = 60_000;

    /** Missing values (a spec stored by an older zdm) take their defaults here. */
    public NetworkSpec {
        if (listen == null) listen = Listen.PROXY;
        if (protocol == null) protocol = ProxyProtocol.AUTO;
        if (socketFd == null || socketFd != 0) socketFd = 3;
        if (headTimeoutMs <= 0) headTimeoutMs = DEFAULT_HEAD_TIMEOUT_MS;
        if (keepaliveTimeoutMs <= 0) keepaliveTimeoutMs = DEFAULT_KEEPALIVE_TIMEOUT_MS;
        if (bodyTimeoutMs <= 0) bodyTimeoutMs = DEFAULT_BODY_TIMEOUT_MS;
        if (maxHeadBytes <= 0) maxHeadBytes = DEFAULT_MAX_HEAD_BYTES;
        if (maxConnections <= 0) maxConnections = DEFAULT_MAX_CONNECTIONS;
        if (maxConnectionsPerAddress < 0) maxConnectionsPerAddress = 0;
        if (sendTimeoutMs <= 0) sendTimeoutMs = DEFAULT_SEND_TIMEOUT_MS;
    }

    /** True when workers accept on the inherited socket themselves (no proxy hop). */
    public boolean socketMode() {
        return listen == Listen.SOCKET;
    }

    /**
     * A Node app in socket mode without {@code port:}: the port is the one its code listens on, which zdm's preload
     * reports; the daemon binds it once and every worker inherits it (pm2's cluster mode).
     */
    public boolean learnsPort() {
        return socketMode() && port == null;
    }
}
