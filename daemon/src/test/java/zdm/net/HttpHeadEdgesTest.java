package zdm.net;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ProtocolException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The edges of the head parser that {@link HttpHeadTest} does not reach, found by mutation testing
 * (docs/mutation-testing.md): each case is one where moving a boundary or an offset by one would let the proxy read
 * a head differently from a strict server behind it, or fail with something other than a refusal.
 */
class HttpHeadEdgesTest {
    private static HttpHead request(String head) throws ProtocolException {
        var bytes = head.getBytes(ISO_8859_1);
        return HttpHead.parseRequest(bytes, 0, bytes.length);
    }

    private static HttpHead response(String head) throws ProtocolException {
        var bytes = head.getBytes(ISO_8859_1);
        return HttpHead.parseResponse(bytes, 0, bytes.length);
    }

    /** RFC 9110 §5.6.2, written out: tchar is a letter, a digit or one of these. */
    @Test
    void tokenCharactersAreExactlyTheRfcsOnEveryByte() {
        String punctuation = "!#$%&'*+-.^_`|~";
        for (int c = -128; c < 256; c++) {
            boolean expected = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || (c >= 0 && punctuation.indexOf(c) >= 0);
            assertEquals(expected, HttpHead.isTokenChar(c), "byte " + c);
        }
    }

    @Test
    void aRequestLineNeedsATargetBetweenItsTwoSpaces() throws Exception {
        assertThrows(ProtocolException.class, () -> request("GET  HTTP/1.1\r\n\r\n"), "an empty target");
        assertEquals("/", request("GET / HTTP/1.1\r\n\r\n").target(), "the shortest target");
        assertThrows(ProtocolException.class, () -> request("GET /\r\n\r\n"), "no version");
    }

    @Test
    void theMinorVersionIsOneDigit() throws Exception {
        assertEquals(9, request("GET / HTTP/1.9\r\n\r\n").minorVersion());
        assertEquals(9, response("HTTP/1.9 200 OK\r\n\r\n").minorVersion());
        for (String bad : new String[] {"HTTP/1./", "HTTP/1.:", "HTTP/1.10", "HTTP/1."}) {
            assertThrows(ProtocolException.class, () -> request("GET / " + bad + "\r\n\r\n"), bad);
            assertThrows(ProtocolException.class, () -> response(bad + " 200 OK\r\n\r\n"), bad);
        }
    }

    /** The proxy parses a head where it lies in the connection's buffer: the bytes around it are not part of it. */
    @Test
    void onlyTheGivenRangeIsTheHead() throws Exception {
        String head = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
        var bytes = ("\r" + head + "\nGET /b").getBytes(ISO_8859_1);
        var parsed = HttpHead.parseRequest(bytes, 1, head.length());
        assertEquals("/a", parsed.target());
        assertEquals(List.of("x"), parsed.values("Host"));
        var cut = ("\r" + head).getBytes(ISO_8859_1);
        assertThrows(ProtocolException.class, () -> HttpHead.parseRequest(cut, 1, head.length() - 1),
                "a CR at the end of the range, even with a LF after it");
        var lfFirst = ("\r\n" + head).getBytes(ISO_8859_1);
        assertThrows(ProtocolException.class, () -> HttpHead.parseRequest(lfFirst, 1, head.length() + 1),
                "a LF at the start of the range, even with a CR before it");
        var response = ("x" + "HTTP/1.1 201 Made\r\nA: 1\r\n\r\n" + "HTTP/1.1").getBytes(ISO_8859_1);
        var made = HttpHead.parseResponse(response, 1, response.length - 1 - "HTTP/1.1".length());
        assertEquals(201, made.status());
        assertEquals(List.of("1"), made.values("a"));
    }

    @Test
    void aResponseThatStartsWithALineFeedIsRefusedAsMalformed() {
        assertThrows(ProtocolException.class, () -> response("\nHTTP/1.1 200 OK\r\n\r\n"));
        assertThrows(ProtocolException.class, () -> response("\r\nHTTP/1.1 200 OK\r\n\r\n"));
    }

    /** An empty list element at the end of a field, or an empty field, is no token (and no reason to fail). */
    @Test
    void emptyListElementsAtTheEndMatchNothing() throws Exception {
        assertFalse(request("GET / HTTP/1.1\r\nConnection:\r\n\r\n").closesConnection());
        assertFalse(request("GET / HTTP/1.1\r\nConnection: keep-alive,\r\n\r\n").closesConnection());
        assertFalse(request("GET / HTTP/1.0\r\nConnection: keep-alive ,\r\n\r\n").closesConnection());
        assertFalse(request("GET / HTTP/1.1\r\nExpect: ,\r\n\r\n").expectsContinue());
        assertFalse(response("HTTP/1.1 200 OK\r\nConnection: \t\r\n\r\n").closesConnection());
    }

    /** A status line read where it lies in a buffer reads as it does at the buffer's start, reason phrase or not. */
    @Test
    void aStatusLineReadsTheSameAfterOtherBytes() throws Exception {
        for (String line : new String[] {"HTTP/1.1 204", "HTTP/1.1 200 ", "HTTP/1.1 200 OK", "HTTP/1.1 2000",
                "HTTP/1.1 20", "HTTP/1.1 2", "HTTP/1.1 ", "HTTP/1.1 20 OK"}) {
            String head = line + "\r\n\r\n";
            var alone = head.getBytes(ISO_8859_1);
            var after = ("HTTP/1.1 100 Continue\r\n\r\n" + head).getBytes(ISO_8859_1);
            int offset = after.length - alone.length;
            String expected = statusOrRefused(() -> HttpHead.parseResponse(alone, 0, alone.length));
            assertEquals(expected, statusOrRefused(() -> HttpHead.parseResponse(after, offset, alone.length)), line);
        }
        assertEquals("204", statusOrRefused(() -> response("HTTP/1.1 204\r\n\r\n")));
        assertEquals("refused", statusOrRefused(() -> response("HTTP/1.1 20\r\n\r\n")));
    }

    private interface Parse {
        HttpHead head() throws ProtocolException;
    }

    private static String statusOrRefused(Parse parse) {
        try {
            return String.valueOf(parse.head().status());
        } catch (ProtocolException e) {
            return "refused";
        }
    }

    /** A head given without the empty line that ends it: every field is read, and a look-up stops at the last. */
    @Test
    void aHeadWithoutItsEmptyLineHasItsFieldsAndNoMore() throws Exception {
        var head = request("GET / HTTP/1.1\r\nA: 1\r\n");
        assertEquals(List.of("1"), head.values("A"));
        assertEquals(List.of(), head.values("B"));
        assertFalse(head.has("B"));
        assertFalse(head.hasToken("B", "x"));
        assertEquals("GET / HTTP/1.1\r\nA: 1\r\nX-Forwarded-For: 10.0.0.9\r\nX-Forwarded-Proto: http\r\n\r\n",
                new String(head.forBackend("10.0.0.9"), ISO_8859_1));
    }

    /** Unfolded values are written after the head's bytes, into an array that grows as far as they need at once. */
    @Test
    void longFoldedValuesAreUnfoldedWhole() throws Exception {
        String a = "a".repeat(300), b = "b".repeat(200);
        var head = response("HTTP/1.1 200 OK\r\nX: " + a + "\r\n " + b + "\r\n\t" + a + "\r\nY: 1\r\n\r\n");
        assertEquals(List.of(a + " " + b + " " + a), head.values("X"));
        assertEquals(List.of("1"), head.values("Y"));
    }

    /** A method that starts with a known one is read whole: HEADER is not HEAD (whose response has no body). */
    @Test
    void aMethodThatStartsWithAKnownOneIsReadWhole() throws Exception {
        for (String method : new String[] {"HEADER", "GETS", "POSTX", "GET", "HEAD", "HEA"}) {
            assertEquals(method, request(method + " / HTTP/1.1\r\n\r\n").method());
        }
    }

    /** A prefix that runs past the end of the bytes is not there (and no reason to fail). */
    @Test
    void aPrefixPastTheEndIsNotThere() {
        var bytes = "GET / HTTP/1.1".getBytes(ISO_8859_1);
        assertFalse(HeadBytes.startsWith(bytes, 9, "HTTP/1.1"));
        assertFalse(HeadBytes.startsWith(bytes, bytes.length, "H"));
        assertTrue(HeadBytes.startsWith(bytes, 6, "HTTP/1.1"));
    }

    @Test
    void aZeroLengthFollowedByAnotherIsAConflict() {
        for (String lengths : new String[] {"Content-Length: 0\r\nContent-Length: 5", "Content-Length: 0, 5",
                "Content-Length: 5, 0"}) {
            assertThrows(ProtocolException.class,
                    () -> HttpFraming.ofRequest(request("POST / HTTP/1.1\r\n" + lengths + "\r\n\r\n")), lengths);
        }
    }
}
