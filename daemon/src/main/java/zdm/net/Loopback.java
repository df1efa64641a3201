package zdm.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The IPv4 loopback address workers listen on. Explicit 127.0.0.1 rather than "localhost", which may resolve to ::1. */
final class Loopback {
    static final InetAddress IPV4;

    static {
        try {
            IPV4 = InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e); // impossible: a 4-byte address is always valid
        }
    }

    private Loopback() {}
}
