package zdm.net;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.net.ProtocolException;
import org.junit.jupiter.api.Test;

/**
 * Where a message body ends, byte by byte: the proxy forwards exactly the bytes {@link BodyScanner} calls body and
 * parses what follows as the next message, so one byte too many or too few desynchronises the connection. A
 * client's body is scanned strictly (as node does), a worker's leniently.
 */
class BodyScannerTest {
    private static final String NEXT = "GET /next HTTP/1.1\r\n\r\n";

    /**
     * Feeds a body in pieces as the proxy does: the bytes a scan calls body are consumed, the rest (a line not yet
     * whole, or the next message) stays and is scanned again with the next piece. The buffer's reader index does
     * not start at 0, as in a connection's buffer after earlier messages, unless {@link #atBufferStart()}.
     */
    private static final class Feed {
        final BodyScanner scanner;
        String earlier = "earlier";
        String pending = "";
        int body;

        Feed(HttpFraming framing, boolean strict) {
            scanner = BodyScanner.of(framing, strict);
        }

        Feed add(String piece) throws ProtocolException {
            pending += piece;
            var in = Unpooled.copiedBuffer(earlier + pending, ISO_8859_1);
            try {
                in.skipBytes(earlier.length());
                int bytes = scanner.scan(in);
                assertEquals(earlier.length(), in.readerIndex(), "scan does not consume");
                body += bytes;
                pending = pending.substring(bytes);
                return this;
            } finally {
                in.release();
            }
        }

        /** The next pieces are scanned from the start of a fresh buffer (reader index 0), as after a socket read. */
        Feed atBufferStart() {
            earlier = "";
            return this;
        }
    }

    private static Feed chunked(boolean strict, String bytes) throws ProtocolException {
        return new Feed(HttpFraming.CHUNKED, strict).add(bytes);
    }

    @Test
    void aLengthBodyEndsAfterItsBytesAndLeavesTheNextMessage() throws Exception {
        var feed = new Feed(new HttpFraming.Length(5), true).add("hel");
        assertEquals(3, feed.body);
        assertFalse(feed.scanner.done());
        feed.add("lo" + NEXT);
        assertEquals(5, feed.body);
        assertEquals(NEXT, feed.pending);
        assertTrue(feed.scanner.done());
        assertEquals(0, new Feed(new HttpFraming.Length(5), true).add("hello").add(NEXT).pending.indexOf(NEXT),
                "after the body, nothing more is body");
    }

    @Test
    void noBodyTakesNothingAndAnUntilCloseBodyTakesEverything() throws Exception {
        var none = new Feed(HttpFraming.NONE, false).add(NEXT);
        assertTrue(none.scanner.done());
        assertEquals(0, none.body);
        var untilClose = new Feed(HttpFraming.UNTIL_CLOSE, false).add("abc").add("\r\n0\r\n\r\n" + NEXT);
        assertEquals(3 + 7 + NEXT.length(), untilClose.body);
        assertTrue(untilClose.scanner.untilClose());
        assertFalse(untilClose.scanner.done());
        for (var framing : new HttpFraming[] {HttpFraming.NONE, HttpFraming.CHUNKED, new HttpFraming.Length(1)}) {
            assertFalse(BodyScanner.of(framing, false).untilClose(), framing.toString());
        }
    }

    @Test
    void aChunkedBodyEndsAfterItsTrailersWhateverThePieces() throws Exception {
        String body = "3\r\nabc\r\n1a;name=\"v\"\r\n" + "x".repeat(26) + "\r\nA\r\n0123456789\r\n0\r\nX-Sum: 1\r\n\r\n";
        var whole = chunked(true, body + NEXT);
        assertEquals(body.length(), whole.body);
        assertEquals(NEXT, whole.pending);
        assertTrue(whole.scanner.done());
        var byteByByte = new Feed(HttpFraming.CHUNKED, true);
        for (int i = 0; i < body.length(); i++) {
            assertFalse(byteByByte.scanner.done(), "done before byte " + i);
            byteByByte.add(body.substring(i, i + 1));
        }
        assertEquals(body.length(), byteByByte.body);
        assertEquals("", byteByByte.pending);
        assertTrue(byteByByte.scanner.done());
        var lenient = chunked(false, "5 ;x\n12345\n0\nAny trailer\n\n" + NEXT);
        assertTrue(lenient.scanner.done());
        assertEquals(NEXT, lenient.pending);
    }

    @Test
    void aLineWhoseLineFeedIsTheBuffersFirstByteIsWhole() throws Exception {
        var feed = chunked(false, "5\r\nhello");
        assertEquals(8, feed.body);
        feed.atBufferStart().add("\n0\n\n" + NEXT);
        assertTrue(feed.scanner.done(), "the LF at index 0 ended the line after the data");
        assertEquals(NEXT, feed.pending);
        assertThrows(ProtocolException.class, () -> chunked(true, "5\r\nhello\r\n").atBufferStart().add("\n"),
                "strict: an empty chunk size line");
    }

    @Test
    void aChunkSizeHasAtMostFifteenHexDigits() throws Exception {
        var fifteen = chunked(true, "00000000000000F\r\n");
        assertEquals("", fifteen.pending);
        assertFalse(fifteen.scanner.done());
        fifteen.add("x".repeat(20));
        assertEquals(17 + 15, fifteen.body, "F: 15 bytes of data");
        assertEquals("xxxxx", fifteen.pending, "then the line after the data is awaited");
        for (boolean strict : new boolean[] {true, false}) {
            assertThrows(ProtocolException.class, () -> chunked(strict, "0000000000000001\r\n"), "16 digits");
            assertThrows(ProtocolException.class, () -> chunked(strict, "FFFFFFFFFFFFFFFF1\r\n"), "17 digits");
        }
    }

    @Test
    void strictChunkLinesEndInCrLfAndHoldNoOtherCr() {
        for (String bad : new String[] {"5\nhello\r\n", "5 \r\n", "5\t\r\n", "5;a\rb\r\n", "5\r\r\n", "5;x\n", "g\r\n",
                ";x\r\n", "\r\n", "5x\r\n", "5\r\nhelloX\r\n", "5\r\nhello\n", "5\r\nhello\r\r\n",
                "0\r\n\n", "0\r\n:x\r\n\r\n", "0\r\nX A: b\r\n\r\n", "0\r\nX-A b\r\n\r\n", "0\r\nX-A: b\n\r\n",
                "0\r\nX-A: b\rc\r\n\r\n", "0\r\na\r\n\r\n"}) {
            assertThrows(ProtocolException.class, () -> chunked(true, bad), bad.replace("\r", "\\r").replace("\n", "\\n"));
        }
    }

    @Test
    void lenientChunkLinesAcceptWhatAWorkerMaySendButStillNeedASize() throws Exception {
        for (String separator : new String[] {" ", "\t", ";", "\r", "\n", "  \r"}) {
            String line = "5" + separator + (separator.endsWith("\n") ? "" : "\n");
            var feed = chunked(false, line + "hello\r\n0\r\n\r\n");
            assertTrue(feed.scanner.done(), "separator " + separator.replace("\r", "\\r").replace("\n", "\\n"));
        }
        assertTrue(chunked(false, "5;a\rb\r\nhello\n0\n\n").scanner.done(), "a CR inside the line, a bare LF after the data");
        assertTrue(chunked(false, "0\r\n:no name\n\r\n").scanner.done(), "a worker's trailers are not checked");
        for (String bad : new String[] {"5x\r\n", "g\n", ";x\n", "\n", "5\r\nhelloXY\r\n"}) {
            assertThrows(ProtocolException.class, () -> chunked(false, bad), bad.replace("\r", "\\r").replace("\n", "\\n"));
        }
    }

    @Test
    void aChunkLineLongerThanTheLimitIsRefusedAndAShorterOneAwaited() throws Exception {
        int max = BodyScanner.MAX_LINE_BYTES;
        for (boolean strict : new boolean[] {true, false}) {
            var almost = chunked(strict, "5;" + "x".repeat(max - 3));
            assertEquals(0, almost.body, "a line of " + (max - 1) + " bytes without its LF is awaited");
            assertThrows(ProtocolException.class, () -> chunked(strict, "5;" + "x".repeat(max - 2)), max + " bytes without a LF");
            var longest = chunked(strict, "5;" + "x".repeat(max - 4) + "\r\n");
            assertEquals(max, longest.body, "a line of " + max + " bytes, its LF included");
            assertThrows(ProtocolException.class, () -> chunked(strict, "5;" + "x".repeat(max - 3) + "\r\n"),
                    (max + 1) + " bytes with its LF");
            var trailer = chunked(strict, "0\r\nX: " + "y".repeat(max - 5) + "\r\n\r\n");
            assertTrue(trailer.scanner.done(), "a trailer line of " + max + " bytes");
            assertThrows(ProtocolException.class, () -> chunked(strict, "0\r\nX: " + "y".repeat(max - 4) + "\r\n\r\n"));
        }
    }
}
