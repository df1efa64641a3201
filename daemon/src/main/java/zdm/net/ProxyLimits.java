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
 */
public record ProxyLimits(Duration headTimeout, Duration keepAliveTimeout, int maxHeadBytes, int maxConnections) {
    /** node's default headersTimeout. */
    public static final Duration DEFAULT_HEAD_TIMEOUT = Duration.ofSeconds(60);
    /**
     * nginx's default, not node's 5 s: a load balancer in front of zdm keeps idle connections up to its own timeout
     * (60 s for AWS's ALB) and must not send a request on one the proxy is closing at that very moment; an idle
     * connection costs the proxy a few KiB, not a worker.
     */
    public static final Duration DEFAULT_KEEP_ALIVE_TIMEOUT = Duration.ofSeconds(75);
    /** node's default (--max-http-header-size), so an app behind the proxy sees the limit it would see alone. */
    public static final int DEFAULT_MAX_HEAD_BYTES = 16 * 1024;
    /** With at most ~20 KiB of heap each (a full head and its buffers), 4096 connections stay under 80 MiB. */
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;

    public static final ProxyLimits DEFAULTS = new ProxyLimits(DEFAULT_HEAD_TIMEOUT, DEFAULT_KEEP_ALIVE_TIMEOUT,
            DEFAULT_MAX_HEAD_BYTES, DEFAULT_MAX_CONNECTIONS);

    public ProxyLimits {
        if (headTimeout.isNegative() || headTimeout.isZero() || keepAliveTimeout.isNegative()
                || keepAliveTimeout.isZero() || maxHeadBytes < 1024 || maxConnections < 1) {
            throw new IllegalArgumentException("invalid proxy limits: " + headTimeout + ", " + keepAliveTimeout
                    + ", " + maxHeadBytes + ", " + maxConnections);
        }
    }
}
