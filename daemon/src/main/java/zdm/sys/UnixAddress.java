package zdm.sys;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A {@code struct sockaddr_un} for a Unix socket address: a file system path, or, when it starts with {@code '@'},
 * a name in Linux's abstract namespace (the {@code '@'} stands for the leading NUL byte), exactly as systemd spells
 * {@code NOTIFY_SOCKET}. Refuses what the kernel would cut or misread (too long, a NUL inside a path).
 */
final class UnixAddress {
    static final int AF_UNIX = 1;
    /** sizeof(struct sockaddr_un) on Linux: sun_family (2 bytes) and sun_path (108). */
    static final int SIZE = 110;

    private UnixAddress() {}

    /** Writes a struct sockaddr_un for {@code address}; returns the length to pass to the kernel. */
    static int fill(MemorySegment addr, String address) {
        if (address == null || address.isEmpty() || address.equals("@")) {
            throw new IllegalArgumentException("empty Unix socket address");
        }
        boolean abstractName = address.charAt(0) == '@';
        byte[] name = (abstractName ? address.substring(1) : address).getBytes(StandardCharsets.UTF_8);
        if (name.length > UnixDatagram.MAX_ADDRESS_BYTES) {
            throw new IllegalArgumentException("Unix socket address is " + name.length + " bytes, the limit is "
                    + UnixDatagram.MAX_ADDRESS_BYTES + ": " + address);
        }
        if (!abstractName) {
            for (byte b : name) {
                if (b == 0) throw new IllegalArgumentException("NUL byte in Unix socket path: " + address);
            }
        }
        addr.fill((byte) 0);
        addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
        int pathOffset = 2 + (abstractName ? 1 : 0);   // abstract: sun_path[0] = NUL, then the name
        MemorySegment.copy(name, 0, addr, JAVA_BYTE, pathOffset, name.length);
        // A path is NUL-terminated; an abstract name is exactly its bytes (the length delimits it).
        return pathOffset + name.length + (abstractName ? 0 : 1);
    }
}
