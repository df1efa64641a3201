package zdm.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link Inbound#forward}: a relayed message leaves in as few writes as its reads allow, and none is held back. */
class InboundForwardTest {
    private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static final String BODY = "6\r\nhello\n\r\n7;ext=1\r\nworld!\n\r\n0\r\nTrailer: x\r\n\r\n";
    private static final String NEXT = "HTTP/1.1 204 No Content\r\n\r\n";

    /** A source that returns at most {@code piece} bytes per read. */
    private static final class Source implements ReadableByteChannel {
        private final ByteBuffer bytes;
        private final int piece;
        int handedOut;

        Source(String text, int piece) {
            this.bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
            this.piece = piece;
        }

        @Override
        public int read(ByteBuffer into) {
            if (!bytes.hasRemaining()) return -1;
            int n = Math.min(piece, Math.min(into.remaining(), bytes.remaining()));
            into.put(bytes.slice(bytes.position(), n));
            bytes.position(bytes.position() + n);
            handedOut += n;
            return n;
        }

        @Override public boolean isOpen() { return true; }
        @Override public void close() { }
    }

    private static final class Sink implements WritableByteChannel {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        int writes;

        @Override
        public int write(ByteBuffer from) {
            int n = from.remaining();
            byte[] copy = new byte[n];
            from.get(copy);
            received.writeBytes(copy);
            writes++;
            return n;
        }

        String text() {
            return received.toString(StandardCharsets.US_ASCII);
        }

        @Override public boolean isOpen() { return true; }
        @Override public void close() { }
    }

    private static HttpFraming framingOf(Inbound in, int headBytes) throws Exception {
        var response = HttpHead.parseResponse(in.array(), in.position(), headBytes);
        var request = HttpHead.parseRequest("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0, 18);
        return HttpFraming.ofResponse(response, request);
    }

    @Test
    void aBufferedChunkedResponseLeavesInOneWriteAndTheNextMessageStaysUnread() throws Exception {
        var sink = new Sink();
        var source = new Source(HEAD + BODY + NEXT, 1 << 20);
        var in = new Inbound();
        int headBytes = in.readHead(source, 64 * 1024);
        var framing = framingOf(in, headBytes);
        in.forward(sink, headBytes);
        BodyCopier.copy(framing, in, source, sink, false);

        assertEquals(HEAD + BODY, sink.text());
        assertEquals(1, sink.writes, "head, chunk lines, data and trailer in one write");
        assertEquals(NEXT.length(), in.available(), "the pipelined next response is not consumed");
    }

    @Test
    void bytesConsumedBeforeAReadAreWrittenBeforeItWaits() throws Exception {
        var sink = new Sink();
        var source = new Source(HEAD + BODY, 5);
        var in = new Inbound();
        int headBytes = in.readHead(source, 64 * 1024);
        var framing = framingOf(in, headBytes);
        in.forward(sink, headBytes);
        var watching = new ReadableByteChannel() {
            boolean heldBack;

            @Override
            public int read(ByteBuffer into) throws java.io.IOException {
                // Everything consumed so far (handed out minus still unread) must have reached the sink.
                int consumed = source.handedOut - in.available();
                if (sink.received.size() < consumed) heldBack = true;
                return source.read(into);
            }

            @Override public boolean isOpen() { return true; }
            @Override public void close() { }
        };
        BodyCopier.copy(framing, in, watching, sink, false);

        assertEquals(HEAD + BODY, sink.text());
        assertFalse(watching.heldBack, "forwarded bytes waited in the buffer during a read");
    }

    @Test
    void clearDropsWhatWasNotWritten() throws Exception {
        var sink = new Sink();
        var in = new Inbound();
        var source = new Source(NEXT, 1 << 20);
        int headBytes = in.readHead(source, 64 * 1024);
        in.forward(sink, headBytes);
        in.clear();
        in.flush();
        assertEquals(0, sink.writes);
    }
}
