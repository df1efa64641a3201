package zdm.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import zdm.net.ProtocolSniffer.Verdict;

class ProtocolSnifferTest {
    private static Verdict classify(String start) {
        var bytes = ("xx" + start).getBytes(StandardCharsets.ISO_8859_1);
        return ProtocolSniffer.classify(bytes, 2, bytes.length - 2); // at an offset, as in a buffer
    }

    @Test
    void http1RequestLinesAreHttp() {
        assertEquals(Verdict.HTTP, classify("GET / HTTP/1.1\r\n"));
        assertEquals(Verdict.HTTP, classify("POST /api?x=1 HTTP/1.0\r\n"));
        assertEquals(Verdict.HTTP, classify("OPTIONS * HTTP/1.1\r\n"));
        assertEquals(Verdict.HTTP, classify("CONNECT example.com:443 HTTP/1.1\r\n"));
        assertEquals(Verdict.HTTP, classify("GET http://example.com/ HTTP/1.1"));
        assertEquals(Verdict.HTTP, classify("PROPFIND /dav HTTP/1.1\r\n"), "any token with an origin-form target");
    }

    @Test
    void otherProtocolsAreNot() {
        assertEquals(Verdict.OTHER, classify("\u0016\u0003\u0001\u0002\u0000"), "TLS ClientHello");
        assertEquals(Verdict.OTHER, classify("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), "HTTP/2 preface");
        assertEquals(Verdict.OTHER, classify("PING\r\n"));
        assertEquals(Verdict.OTHER, classify("*1\r\n$4\r\nPING\r\n"), "redis");
        assertEquals(Verdict.OTHER, classify("GET / HTTP/2.0\r\n"));
        assertEquals(Verdict.OTHER, classify("GET /\r\n"), "HTTP/0.9 is not worth relaying");
        assertEquals(Verdict.OTHER, classify("FOO bar HTTP/1.1\r\n"), "unknown token without a / target");
        assertEquals(Verdict.OTHER, classify(" GET / HTTP/1.1"));
        assertEquals(Verdict.OTHER, classify("A".repeat(40)), "longer than any method");
    }

    @Test
    void prefixesOfARequestLineWaitForMoreBytes() {
        assertEquals(Verdict.UNDECIDED, classify(""));
        assertEquals(Verdict.UNDECIDED, classify("GE"));
        assertEquals(Verdict.UNDECIDED, classify("GET "));
        assertEquals(Verdict.UNDECIDED, classify("GET /long/pa"));
        assertEquals(Verdict.UNDECIDED, classify("GET / HTTP/1"));
        assertEquals(Verdict.UNDECIDED, classify("GET / HTTP/1."));
    }

    @Test
    void configValuesMapToProtocols() {
        assertEquals(ProxyProtocol.AUTO, ProxyProtocol.of("auto"));
        assertEquals(ProxyProtocol.HTTP, ProxyProtocol.of("http"));
        assertEquals(ProxyProtocol.TCP, ProxyProtocol.of("tcp"));
        assertEquals("tcp", ProxyProtocol.TCP.toString());
        var error = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ProxyProtocol.of("udp"));
        assertEquals("protocol \"udp\" is not one of auto, http, tcp", error.getMessage());
    }
}
