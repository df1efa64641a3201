package zdm.net;

import java.util.Locale;

/**
 * What a public port carries, which decides how a {@link PortListener} forwards its connections.
 * <ul>
 *   <li>{@link #AUTO}: look at the client's first bytes; an HTTP/1.x request line selects {@link #HTTP}, anything else
 *       (TLS, HTTP/2 prior knowledge, binary protocols, a client that waits for the server to speak) is tunnelled.</li>
 *   <li>{@link #HTTP}: every connection is relayed request by request, so keep-alive clients follow the rotation.</li>
 *   <li>{@link #TCP}: every connection is a byte-for-byte tunnel pinned to one worker for its life.</li>
 * </ul>
 */
public enum ProxyProtocol {
    AUTO, HTTP, TCP;

    /** The value of an app's {@code protocol} setting ("auto", "http" or "tcp", any case). */
    public static ProxyProtocol fromConfig(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("protocol \"" + value + "\" is not one of auto, http, tcp");
        }
    }
}
