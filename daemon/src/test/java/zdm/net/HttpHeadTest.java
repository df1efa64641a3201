package zdm.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpHeadTest {
    private static HttpHead request(String head) throws ProtocolException {
        var bytes = head.getBytes(StandardCharsets.ISO_8859_1);
        return HttpHead.parseRequest(bytes, 0, bytes.length);
    }

    private static HttpHead response(String head) throws ProtocolException {
        var bytes = head.getBytes(StandardCharsets.ISO_8859_1);
        return HttpHead.parseResponse(bytes, 0, bytes.length);
    }

    @Test
    void requestFramingFollowsRfc9112() throws Exception {
        assertEquals(HttpFraming.NONE, HttpFraming.ofRequest(request("GET / HTTP/1.1\r\nHost: a\r\n\r\n")));
        assertEquals(new HttpFraming.Length(12),
                HttpFraming.ofRequest(request("POST / HTTP/1.1\r\nContent-Length: 12\r\n\r\n")));
        assertEquals(new HttpFraming.Length(12),
                HttpFraming.ofRequest(request("POST / HTTP/1.1\r\nContent-Length: 12, 12\r\nContent-Length: 12\r\n\r\n")));
        assertEquals(HttpFraming.CHUNKED,
                HttpFraming.ofRequest(request("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n")));
    }

    @Test
    void ambiguousRequestFramingIsRejected() {
        assertThrows(ProtocolException.class, () -> HttpFraming.ofRequest(
                request("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n")));
        assertThrows(ProtocolException.class, () -> HttpFraming.ofRequest(
                request("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n")));
        assertThrows(ProtocolException.class, () -> HttpFraming.ofRequest(
                request("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n")));
        assertThrows(ProtocolException.class, () -> HttpFraming.ofRequest(
                request("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n")));
        assertThrows(ProtocolException.class, () -> request("GET / HTTP/1.1\r\nHost : a\r\n\r\n"));
        assertThrows(ProtocolException.class, () -> request("GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n"));
        assertThrows(ProtocolException.class, () -> request("GET  / HTTP/1.1\r\n\r\n"));
        assertThrows(ProtocolException.class, () -> request("GET / HTTP/2.0\r\n\r\n"));
    }

    @Test
    void responseFramingDependsOnStatusAndMethod() throws Exception {
        var get = request("GET / HTTP/1.1\r\n\r\n");
        var head = request("HEAD / HTTP/1.1\r\n\r\n");
        var lengthy = response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
        assertEquals(new HttpFraming.Length(5), HttpFraming.ofResponse(lengthy, get));
        assertEquals(HttpFraming.NONE, HttpFraming.ofResponse(lengthy, head));
        assertEquals(HttpFraming.NONE, HttpFraming.ofResponse(response("HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n"), get));
        assertEquals(HttpFraming.NONE, HttpFraming.ofResponse(response("HTTP/1.1 204\r\n\r\n"), get));
        assertEquals(HttpFraming.CHUNKED,
                HttpFraming.ofResponse(response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"), get));
        assertEquals(HttpFraming.UNTIL_CLOSE, HttpFraming.ofResponse(response("HTTP/1.0 200 OK\r\n\r\n"), get));
    }

    @Test
    void connectionPersistenceFollowsVersionAndConnectionHeader() throws Exception {
        assertFalse(request("GET / HTTP/1.1\r\n\r\n").closesConnection());
        assertTrue(request("GET / HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\n").closesConnection());
        assertTrue(request("GET / HTTP/1.0\r\n\r\n").closesConnection());
        assertFalse(request("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").closesConnection());
        assertTrue(response("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n").closesConnection());
    }

    @Test
    void forwardedHeadKeepsFieldsAsReceivedAndAddsTheClient() throws Exception {
        var head = request("\r\nGET /x HTTP/1.1\r\nHost:a\r\nX-Forwarded-For: 1.2.3.4\r\nx-forwarded-for: 5.6.7.8\r\n\r\n");

        var forwarded = new String(head.forBackend("127.0.0.1"), StandardCharsets.ISO_8859_1);

        assertEquals("GET /x HTTP/1.1\r\nHost:a\r\nX-Forwarded-For: 1.2.3.4\r\nx-forwarded-for: 5.6.7.8, 127.0.0.1\r\n"
                + "X-Forwarded-Proto: http\r\n\r\n", forwarded);
    }
}
