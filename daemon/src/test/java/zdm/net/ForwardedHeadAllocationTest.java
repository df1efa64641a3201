package zdm.net;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.net.ProtocolException;
import org.junit.jupiter.api.Test;

/**
 * The head a worker gets is written into the array its connection's writer keeps: {@link HttpHead#forBackend} works
 * the size out beforehand (the head, the address, the fields it adds or extends; checked by an assertion there), so a
 * writer that held a head of that size neither grows nor allocates. A writer given up per request, or a size worked
 * out wrong, costs an array per request (the proxy's garbage, see {@code ProxyAllocationTest}), which no byte of the
 * result shows: this measures what one call allocates. Nothing of it relies on the JIT: interpreted, a call
 * allocates nothing either.
 */
class ForwardedHeadAllocationTest {
    private static final String CLIENT = "203.0.113.77";
    private static final int CALLS = 20_000;
    /** Less than the smallest array (16 bytes): what measuring costs, spread over the calls. */
    private static final long SLACK = 8;

    private static long sink;

    @Test
    void withoutForwardingFields() throws Exception {
        assertNoArrayPerCall("GET /a/path?q=1 HTTP/1.1\r\nHost: example.test\r\nAccept: */*\r\nUser-Agent: test/1.0\r\n\r\n");
    }

    @Test
    void afterALeadingEmptyLine() throws Exception {
        assertNoArrayPerCall("\r\nGET /a/path?q=1 HTTP/1.1\r\nHost: example.test\r\nAccept: */*\r\nUser-Agent: test/1.0\r\n\r\n");
    }

    @Test
    void aForwardedForFirstAndAProtoGiven() throws Exception {
        assertNoArrayPerCall("GET / HTTP/1.1\r\nX-Forwarded-For: 10.0.0.1\r\nHost: example.test\r\n"
                + "X-Forwarded-Proto: https\r\nAccept: */*\r\n\r\n");
    }

    @Test
    void aForwardedForLaterWithSpacesAroundItsList() throws Exception {
        assertNoArrayPerCall("POST /upload HTTP/1.1\r\nHost: example.test\r\nContent-Length: 0\r\nAccept: */*\r\n"
                + "X-Forwarded-For:   10.0.0.1 , 10.0.0.2  \r\nUser-Agent: test/1.0\r\n\r\n");
    }

    @Test
    void anEmptyForwardedFor() throws Exception {
        assertNoArrayPerCall("GET / HTTP/1.1\r\nHost: example.test\r\nAccept: */*\r\nX-Forwarded-For:   \r\n"
                + "User-Agent: test/1.0\r\n\r\n");
    }

    private static void assertNoArrayPerCall(String text) throws ProtocolException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not count the bytes a thread allocates");
        var bytes = text.getBytes(ISO_8859_1);
        var head = HttpHead.parseRequest(bytes, 0, bytes.length);
        var out = new HeadBytes.Writer(0);
        for (int i = 0; i < CALLS; i++) { // the first call makes the array; compiled, too, before it is measured
            head.forBackend(CLIENT, out);
            sink += out.size();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CALLS; i++) {
            head.forBackend(CLIENT, out);
            sink += out.size();
        }
        long perCall = (threads.getCurrentThreadAllocatedBytes() - before) / CALLS;
        assertTrue(perCall <= SLACK, perCall + " bytes per call into a kept writer: " + text);
        assertEquals(new String(head.forBackend(CLIENT), ISO_8859_1), new String(out.array(), 0, out.size(), ISO_8859_1),
                "the kept writer holds what a writer of its own gets");
    }
}
