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

    /** The edges of each rule, so that moving one (a boundary, a comparison) is seen. */
    @Test
    void framingAtTheEdges() throws Exception {
        var get = request("GET / HTTP/1.1\r\n\r\n");
        assertEquals(HttpFraming.NONE, HttpFraming.ofRequest(request("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n")));
        assertEquals(new HttpFraming.Length(1), HttpFraming.ofRequest(request("POST / HTTP/1.1\r\nContent-Length: 1\r\n\r\n")));
        assertEquals(new HttpFraming.Length(999_999_999_999_999_999L),
                HttpFraming.ofRequest(request("POST / HTTP/1.1\r\nContent-Length: 999999999999999999\r\n\r\n")), "18 digits");
        for (String bad : new String[] {"1000000000000000000", "1a", "+5", " "}) {
            assertThrows(ProtocolException.class, () -> HttpFraming.ofRequest(
                    request("POST / HTTP/1.1\r\nContent-Length: " + bad + "\r\n\r\n")), bad);
        }
        assertEquals(HttpFraming.NONE, HttpFraming.ofResponse(response("HTTP/1.1 100 Continue\r\nContent-Length: 5\r\n\r\n"), get));
        assertEquals(HttpFraming.NONE, HttpFraming.ofResponse(response("HTTP/1.1 199 X\r\nContent-Length: 5\r\n\r\n"), get));
        assertEquals(new HttpFraming.Length(5), HttpFraming.ofResponse(response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"), get));
        assertEquals(new HttpFraming.Length(5), HttpFraming.ofResponse(response("HTTP/1.1 205 X\r\nContent-Length: 5\r\n\r\n"), get));
        assertEquals(new HttpFraming.Length(5), HttpFraming.ofResponse(response("HTTP/1.1 303 X\r\nContent-Length: 5\r\n\r\n"), get));
        assertEquals(HttpFraming.NONE, HttpFraming.ofResponse(response("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), get));
        assertEquals(HttpFraming.UNTIL_CLOSE,
                HttpFraming.ofResponse(response("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n"), get), "not chunked last");
        var connect = request("CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n");
        assertEquals(HttpFraming.NONE, HttpFraming.ofResponse(response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"), connect));
        assertEquals(HttpFraming.NONE, HttpFraming.ofResponse(response("HTTP/1.1 299 X\r\nContent-Length: 5\r\n\r\n"), connect));
        assertEquals(new HttpFraming.Length(5),
                HttpFraming.ofResponse(response("HTTP/1.1 300 X\r\nContent-Length: 5\r\n\r\n"), connect), "a refused CONNECT has a body");
    }

    @Test
    void headParsingAtTheEdges() throws Exception {
        for (String bad : new String[] {"GET / HTTP/1.1\nHost: a\r\n\r\n", "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n",
                "\r\n\r\n", "GET / HTTP/1.1 x\r\n\r\n", " GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.x\r\n\r\n",
                "G(T / HTTP/1.1\r\n\r\n", "GET /a\u007fb HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n: empty name\r\n\r\n"}) {
            assertThrows(ProtocolException.class, () -> request(bad), bad);
        }
        for (String bad : new String[] {"HTTP/1.1 099 X\r\n\r\n", "HTTP/1.1 2x0 X\r\n\r\n", "HTTP/1.1 2000\r\n\r\n",
                "HTTP/1.1 20\r\n\r\n", "HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\n folded first\r\n\r\n"}) {
            assertThrows(ProtocolException.class, () -> response(bad), bad);
        }
        var r = response("HTTP/1.0 404 Not Found\r\nX-Long: a\r\n  b\r\n\r\n");
        assertEquals(404, r.status());
        assertEquals(0, r.minorVersion());
        assertEquals(java.util.List.of("a b"), r.values("x-long"), "a response's folded line is unfolded");
        var q = request("PUT /p HTTP/1.1\r\nExpect: 100-continue\r\nA: 1\r\na: 2\r\n\r\n");
        assertEquals("PUT", q.method());
        assertEquals("/p", q.target());
        assertEquals(1, q.minorVersion());
        assertEquals(java.util.List.of("1", "2"), q.values("A"));
        assertTrue(q.isIdempotent() && q.expectsContinue() && !q.isConnect());
        assertFalse(request("POST / HTTP/1.1\r\n\r\n").isIdempotent());
        assertFalse(request("GET / HTTP/1.1\r\nExpect: 200-ok\r\n\r\n").expectsContinue());
        for (char c : "azAZ09`~!|".toCharArray()) assertTrue(HttpHead.isTokenChar(c), "token char " + c);
        for (char c : "@[/:{\"".toCharArray()) assertFalse(HttpHead.isTokenChar(c), "not a token char " + c);
        assertFalse(HttpHead.isTokenChar('(') || HttpHead.isTokenChar(' ') || HttpHead.isTokenChar(127) || HttpHead.isTokenChar(':'));
    }

    @Test
    void forwardedHeadWithoutForwardingFieldsGetsBothAndKeepsAProtoGiven() throws Exception {
        assertEquals("GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Proto: http\r\n\r\n",
                new String(request("GET / HTTP/1.1\r\nHost: a\r\n\r\n").forBackend("10.0.0.1"), StandardCharsets.ISO_8859_1));
        assertEquals("GET / HTTP/1.1\r\nX-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Proto: https\r\n\r\n",
                new String(request("GET / HTTP/1.1\r\nX-Forwarded-For:\r\nX-Forwarded-Proto: https\r\n\r\n").forBackend("10.0.0.1"),
                        StandardCharsets.ISO_8859_1), "an empty X-Forwarded-For gets the address alone");
    }

    @Test
    void connectionPersistenceFollowsVersionAndConnectionHeader() throws Exception {
        assertFalse(request("GET / HTTP/1.1\r\n\r\n").closesConnection());
        assertTrue(request("GET / HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\n").closesConnection());
        assertTrue(request("GET / HTTP/1.0\r\n\r\n").closesConnection());
        assertFalse(request("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").closesConnection());
        assertTrue(response("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n").closesConnection());
        // List elements: empty ones, whitespace around them, and a token that only starts or ends like "close".
        assertTrue(request("GET / HTTP/1.1\r\nConnection: ,, \tclose\t ,\r\n\r\n").closesConnection());
        assertFalse(request("GET / HTTP/1.1\r\nConnection: closed, enclose, clo se\r\n\r\n").closesConnection());
        assertTrue(request("POST / HTTP/1.1\r\nExpect: 100-Continue\r\n\r\n").expectsContinue());
    }

    @Test
    void forwardedHeadKeepsFieldsAsReceivedAndAddsTheClient() throws Exception {
        var head = request("\r\nGET /x HTTP/1.1\r\nHost:a\r\nX-Forwarded-For: 1.2.3.4\r\nx-forwarded-for: 5.6.7.8\r\n\r\n");

        var forwarded = new String(head.forBackend("127.0.0.1"), StandardCharsets.ISO_8859_1);

        assertEquals("GET /x HTTP/1.1\r\nHost:a\r\nX-Forwarded-For: 1.2.3.4\r\nx-forwarded-for: 5.6.7.8, 127.0.0.1\r\n"
                + "X-Forwarded-Proto: http\r\n\r\n", forwarded);
    }
}
