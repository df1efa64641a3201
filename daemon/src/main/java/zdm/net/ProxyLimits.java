package zdm.net;

import java.time.Duration;

/**
 * What one app's proxy allows a client, so that no client behaviour can exhaust the daemon (docs/configuration.md,
 * "Limits facing clients"). Immutable.
 *
 * @param headTimeout      how long a client may take to send a whole request head: from its connect for the first
 *                         request, from its first byte for the next ones on a keep-alive connection (node's
 *                         headersTimeout); then 408 and close
 * @param keepAliveTimeout how long a keep-alive connection may sit idle between requests before the proxy closes it
 * @param maxHeadBytes     the largest request head accepted; a larger one gets 431
 * @param maxConnections   client connections open at once; past it the proxy stops accepting and new connections
 *                         wait in the kernel's accept queue
 * @param bodyTimeout      how long a request body may go without a byte arriving (nginx's client_body_timeout);
 *                         then 408 (if no response has started) and close, the worker connection too
 * @param maxConnectionsPerAddress client connections open at once from one IP address; past it a new one is closed
 *                         at once; 0: no such limit
 * @param sendTimeout      how long bytes may wait for the client's socket to take any of them (nginx's
 *                         send_timeout); then the connection is closed, the worker connection too
 */
public record ProxyLimits(Duration headTimeout, Duration keepAliveTimeout, int maxHeadBytes, int maxConnections,
                          Duration bodyTimeout, int maxConnectionsPerAddress, Duration sendTimeout) {
    /** nginx's send_timeout. */
    static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(60);
    /** AppSpec's defaults (which say why each was chosen); ApplyPlanTest keeps the two equal. */
    public static final ProxyLimits DEFAULTS = new ProxyLimits(Duration.ofSeconds(60), Duration.ofSeconds(75),
            16 * 1024, 4096, Duration.ofSeconds(60), 0, DEFAULT_SEND_TIMEOUT);

    public ProxyLimits {
        if (headTimeout.isNegative() || headTimeout.isZero() || keepAliveTimeout.isNegative()
                || keepAliveTimeout.isZero() || maxHeadBytes < 1024 || maxConnections < 1
                || bodyTimeout.isNegative() || bodyTimeout.isZero() || maxConnectionsPerAddress < 0
                || sendTimeout.isNegative() || sendTimeout.isZero()) {
            throw new IllegalArgumentException("invalid proxy limits: " + headTimeout + ", " + keepAliveTimeout
                    + ", " + maxHeadBytes + ", " + maxConnections + ", " + bodyTimeout + ", " + maxConnectionsPerAddress
                    + ", " + sendTimeout);
        }
    }

    /** The first six, with the default send timeout. */
    public ProxyLimits(Duration headTimeout, Duration keepAliveTimeout, int maxHeadBytes, int maxConnections,
                       Duration bodyTimeout, int maxConnectionsPerAddress) {
        this(headTimeout, keepAliveTimeout, maxHeadBytes, maxConnections, bodyTimeout, maxConnectionsPerAddress,
                DEFAULT_SEND_TIMEOUT);
    }

    /** The first four, with the defaults of the others. */
    public ProxyLimits(Duration headTimeout, Duration keepAliveTimeout, int maxHeadBytes, int maxConnections) {
        this(headTimeout, keepAliveTimeout, maxHeadBytes, maxConnections, Duration.ofSeconds(60), 0);
    }

    /** These limits with another send timeout. */
    ProxyLimits withSendTimeout(Duration timeout) {
        return new ProxyLimits(headTimeout, keepAliveTimeout, maxHeadBytes, maxConnections, bodyTimeout,
                maxConnectionsPerAddress, timeout);
    }
}
