package zdm.net;

/**
 * The arrays one connection copies its heads into (a request's, to parse it; a worker's response head, likewise), kept
 * from one exchange to the next. A head is read from its array only while its exchange lasts, and the next head of
 * the same kind comes after that exchange has ended, so one array of each kind does. Without them a keep-alive client
 * cost two arrays per request, about a fifth of the proxy's garbage: the young collections, which stop every
 * connection of the daemon, came that much more often. A head larger than {@link #KEPT_BYTES} gets an array of its
 * own, so an idle connection holds at most two arrays of that size. Not thread-safe: confined to the connection's loop.
 */
final class HeadCopies {
    static final int KEPT_BYTES = 1024;
    private static final int SMALLEST = 128;

    private byte[] request;
    private byte[] response;

    /** An array of at least {@code length} bytes for a request head. */
    byte[] forRequest(int length) {
        if (request != null && request.length >= length) return request;
        var bytes = new byte[size(length)];
        if (length <= KEPT_BYTES) request = bytes;
        return bytes;
    }

    /** An array of at least {@code length} bytes for a worker's response head. */
    byte[] forResponse(int length) {
        if (response != null && response.length >= length) return response;
        var bytes = new byte[size(length)];
        if (length <= KEPT_BYTES) response = bytes;
        return bytes;
    }

    /** Kept arrays grow in powers of two, so heads that vary a little do not each get a new one. */
    private static int size(int length) {
        return length > KEPT_BYTES ? length : Math.max(SMALLEST, Integer.highestOneBit(Math.max(1, length - 1)) << 1);
    }
}
