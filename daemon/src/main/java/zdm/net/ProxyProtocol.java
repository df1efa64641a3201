package zdm.net;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What a public port carries, which decides how a {@link PortListener} forwards its connections. It is
 * also the type of an app's {@code protocol:} key (zdm.config's {@code NetworkSpec}), so the proxy and
 * the config share one list of values.
 * <ul>
 *   <li>{@link #AUTO}: look at the client's first bytes; an HTTP/1.x request line selects {@link #HTTP}, anything else
 *       (TLS, HTTP/2 prior knowledge, binary protocols, a client that waits for the server to speak) is tunnelled.</li>
 *   <li>{@link #HTTP}: every connection is relayed request by request, so keep-alive clients follow the rotation.</li>
 *   <li>{@link #TCP}: every connection is a byte-for-byte tunnel pinned to one worker for its life.</li>
 * </ul>
 */
public enum ProxyProtocol {
    AUTO, HTTP, TCP;

    /** As written in a file and in the store: the name in lower case ("auto"). */
    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The key, so a message that names the value reads as the file would. */
    @Override
    public String toString() {
        return key();
    }

    /** The value written as {@code key}; null for null. */
    public static ProxyProtocol of(String key) {
        if (key == null) return null;
        for (var p : values()) if (p.key().equals(key)) return p;
        throw new IllegalArgumentException("protocol \"" + key + "\" is not one of auto, http, tcp");
    }
}
