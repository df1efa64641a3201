package zdm.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * The proxy's own responses (a head too large, a bad request, no worker, a timeout): plain text, each with
 * {@code Connection: close}, because the proxy closes the connection after it (its state is unknown or broken).
 */
final class OwnResponses {
    private static final byte[] TIMEOUT = of(408, "Request Timeout");

    private OwnResponses() {}

    /** The response, with or without its body (none for a HEAD request). */
    static ByteBuf response(int status, String reason, boolean withBody) {
        return Unpooled.wrappedBuffer(withBody ? of(status, reason) : head(status, reason));
    }

    /** 408: a head or a body that did not arrive in time. */
    static ByteBuf timeout() {
        return Unpooled.wrappedBuffer(TIMEOUT);
    }

    private static byte[] of(int status, String reason) {
        return (new String(head(status, reason), StandardCharsets.US_ASCII) + body(status, reason))
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] head(int status, String reason) {
        return ("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain\r\nContent-Length: "
                + body(status, reason).length() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static String body(int status, String reason) {
        return status + " " + reason + "\n";
    }
}
