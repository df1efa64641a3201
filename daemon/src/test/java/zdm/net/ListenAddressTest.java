package zdm.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Inet4Address;
import java.net.Inet6Address;
import org.junit.jupiter.api.Test;

/** The preload's report of where a Node app listens, and the address the daemon binds for it. */
class ListenAddressTest {
    @Test
    void aPortAloneOrWithTheWildcardIsTheDualStackWildcard() {
        assertEquals(new ListenAddress(3000, null), ListenAddress.parse("3000\n"));
        assertEquals(new ListenAddress(3000, null), ListenAddress.parse("3000 ::"));
        assertNull(ListenAddress.parse("3000").address());
        assertEquals("3000", ListenAddress.parse("3000").display());
    }

    @Test
    void anAddressIsBoundAsTheAppAskedIpv4OrIpv6() {
        var local = ListenAddress.parse("8080 127.0.0.1");
        assertEquals(Inet4Address.class, local.address().getClass());
        assertEquals("127.0.0.1:8080", local.display());
        assertEquals(Inet4Address.class, ListenAddress.parse("8080 0.0.0.0").address().getClass(), "node binds IPv4 only then");
        var v6 = ListenAddress.parse("8080 ::1");
        assertEquals(Inet6Address.class, v6.address().getClass());
        assertEquals("[::1]:8080", v6.display());
    }

    @Test
    void anythingElseIsRefused() {
        for (String bad : new String[] {"", "x", "0", "65536", "-1", "3000 localhost", "3000 1.2.3.4.5", "80 a b"}) {
            assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(bad), bad);
        }
    }
}
