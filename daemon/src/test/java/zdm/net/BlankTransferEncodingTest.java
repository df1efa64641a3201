package zdm.net;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ProtocolException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A request's {@code Transfer-Encoding} field with nothing but spaces and tabs as its value is ignored by node's parser
 * (the differential corpus of ProxyFacingClientsIntegrationTest holds the proxy to node's verdicts); the proxy leaves
 * it out of the request, for its framing and for the head the worker gets. Anything else that names no coding is
 * refused.
 */
class BlankTransferEncodingTest {
    private static HttpHead request(String head) throws ProtocolException {
        var bytes = head.getBytes(ISO_8859_1);
        return HttpHead.parseRequest(bytes, 0, bytes.length);
    }

    private static String forwarded(HttpHead head) {
        return new String(head.forBackend("10.0.0.9"), ISO_8859_1);
    }

    @Test
    void aBlankCodingIsNoCodingAndTheWorkerDoesNotSeeIt() throws Exception {
        for (String blank : new String[] {"", " ", "\t", " \t  "}) {
            var head = request("POST /u HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:" + blank + "\r\nA: 1\r\n\r\n");
            assertEquals(HttpFraming.NONE, HttpFraming.ofRequest(head), "'" + blank + "'");
            assertFalse(head.has("Transfer-Encoding"));
            assertEquals(List.of("x"), head.values("Host"));
            assertEquals(List.of("1"), head.values("A"));
            assertEquals("POST /u HTTP/1.1\r\nHost: x\r\nA: 1\r\nX-Forwarded-For: 10.0.0.9\r\nX-Forwarded-Proto: http\r\n\r\n",
                    forwarded(head), "'" + blank + "'");
        }
    }

    @Test
    void aContentLengthBesideABlankCodingCounts() throws Exception {
        var head = request("POST / HTTP/1.1\r\ntransfer-encoding: \r\nContent-Length: 5\r\n\r\n");
        assertEquals(new HttpFraming.Length(5), HttpFraming.ofRequest(head));
        assertEquals("POST / HTTP/1.1\r\nContent-Length: 5\r\nX-Forwarded-For: 10.0.0.9\r\nX-Forwarded-Proto: http\r\n\r\n",
                forwarded(head));
    }

    @Test
    void chunkedInAnotherFieldStaysChunked() throws Exception {
        for (String fields : new String[] {"Transfer-Encoding:\r\nTransfer-Encoding: chunked",
                "Transfer-Encoding: chunked\r\nTransfer-Encoding:"}) {
            var head = request("POST / HTTP/1.1\r\n" + fields + "\r\n\r\n");
            assertEquals(HttpFraming.CHUNKED, HttpFraming.ofRequest(head), fields);
            assertEquals("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nX-Forwarded-For: 10.0.0.9\r\n"
                    + "X-Forwarded-Proto: http\r\n\r\n", forwarded(head), fields);
        }
    }

    /** The lines around the left-out ones, X-Forwarded-For's among them, keep their order and their bytes. */
    @Test
    void theOtherLinesAreForwardedInOrderAroundTheLeftOutOnes() throws Exception {
        var head = request("\r\nGET / HTTP/1.1\r\nTransfer-Encoding: \r\nA:1\r\nTransfer-Encoding:\r\n"
                + "X-Forwarded-For: 10.0.0.1 \r\nB:  2\r\nTransfer-Encoding:\t\r\n\r\n");
        assertEquals(List.of("1"), head.values("A"));
        assertEquals("GET / HTTP/1.1\r\nA:1\r\nX-Forwarded-For: 10.0.0.1, 10.0.0.9\r\nB:  2\r\n"
                + "X-Forwarded-Proto: http\r\n\r\n", forwarded(head));
        var onlyBlank = request("GET / HTTP/1.1\r\nTransfer-Encoding:\r\nX-Forwarded-Proto: https\r\n\r\n");
        assertEquals("GET / HTTP/1.1\r\nX-Forwarded-Proto: https\r\nX-Forwarded-For: 10.0.0.9\r\n\r\n",
                forwarded(onlyBlank));
        var nothingElse = request("GET / HTTP/1.1\r\nTransfer-Encoding:\r\n\r\n");
        assertEquals(0, nothingElse.fieldCount());
        assertEquals("GET / HTTP/1.1\r\nX-Forwarded-For: 10.0.0.9\r\nX-Forwarded-Proto: http\r\n\r\n",
                forwarded(nothingElse));
    }

    /** Node refuses these (400): a comma is an empty list, and other whitespace is not a blank value to it. */
    @Test
    void commasAndOtherWhitespaceAreStillRefused() throws Exception {
        for (String value : new String[] {",", " , ", ", ,", "\u000b", "\f", " \u001c"}) {
            var head = request("POST / HTTP/1.1\r\nTransfer-Encoding:" + value + "\r\n\r\n");
            assertThrows(ProtocolException.class, () -> HttpFraming.ofRequest(head), "'" + value + "'");
        }
    }

    /** Only a request's field is left out: a worker's blank coding still means its body ends with the connection. */
    @Test
    void aResponsesBlankCodingIsKept() throws Exception {
        var bytes = "HTTP/1.1 200 OK\r\nTransfer-Encoding: \r\n\r\n".getBytes(ISO_8859_1);
        var response = HttpHead.parseResponse(bytes, 0, bytes.length);
        assertEquals(List.of(""), response.values("Transfer-Encoding"));
        assertEquals(HttpFraming.UNTIL_CLOSE, HttpFraming.ofResponse(response, request("GET / HTTP/1.1\r\n\r\n")));
    }
}
