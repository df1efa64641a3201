package zdm.net;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.net.ProtocolException;
import org.junit.jupiter.api.Test;

/**
 * The head a worker gets is written into one array of exactly its size: {@link HttpHead#forBackend} works the size out
 * beforehand (the head, the address, the fields it adds or extends), so the writer neither grows nor copies its array
 * at the end. A size worked out wrong costs a second array per request (the proxy's garbage, see
 * {@code ProxyAllocationTest}), which no byte of the result shows: this measures what one call allocates.
 */
class ForwardedHeadAllocationTest {
    private static final String CLIENT = "203.0.113.77";
    private static final int CALLS = 20_000;
    /** The writer itself (a small object, often not allocated at all once compiled), and rounding. */
    private static final long SLACK = 40;

    private static long sink;

    @Test
    void withoutForwardingFields() throws Exception {
        assertOneArray("GET /a/path?q=1 HTTP/1.1\r\nHost: example.test\r\nAccept: */*\r\nUser-Agent: test/1.0\r\n\r\n");
    }

    @Test
    void afterALeadingEmptyLine() throws Exception {
        assertOneArray("\r\nGET /a/path?q=1 HTTP/1.1\r\nHost: example.test\r\nAccept: */*\r\nUser-Agent: test/1.0\r\n\r\n");
    }

    @Test
    void aForwardedForFirstAndAProtoGiven() throws Exception {
        assertOneArray("GET / HTTP/1.1\r\nX-Forwarded-For: 10.0.0.1\r\nHost: example.test\r\n"
                + "X-Forwarded-Proto: https\r\nAccept: */*\r\n\r\n");
    }

    @Test
    void aForwardedForLaterWithSpacesAroundItsList() throws Exception {
        assertOneArray("POST /upload HTTP/1.1\r\nHost: example.test\r\nContent-Length: 0\r\nAccept: */*\r\n"
                + "X-Forwarded-For:   10.0.0.1 , 10.0.0.2  \r\nUser-Agent: test/1.0\r\n\r\n");
    }

    @Test
    void anEmptyForwardedFor() throws Exception {
        assertOneArray("GET / HTTP/1.1\r\nHost: example.test\r\nAccept: */*\r\nX-Forwarded-For:   \r\n"
                + "User-Agent: test/1.0\r\n\r\n");
    }

    private static void assertOneArray(String text) throws ProtocolException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not count the bytes a thread allocates");
        var bytes = text.getBytes(ISO_8859_1);
        var head = HttpHead.parseRequest(bytes, 0, bytes.length);
        long arrayBytes = (16 + head.forBackend(CLIENT).length + 7) & ~7L;
        for (int i = 0; i < CALLS; i++) sink += head.forBackend(CLIENT).length; // compiled before it is measured
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CALLS; i++) sink += head.forBackend(CLIENT).length;
        long perCall = (threads.getCurrentThreadAllocatedBytes() - before) / CALLS;
        assertTrue(perCall <= arrayBytes + SLACK,
                perCall + " bytes per call, the head's array being " + arrayBytes + ": " + text);
    }
}
