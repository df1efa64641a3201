package zdm.net;

/**
 * The arrays one connection copies its heads into (a request's, to parse it; a worker's response head, likewise), the
 * heads they are parsed into and the connection's {@link Exchange}, all kept from one exchange to the next. A head is read from its array only while its exchange lasts, and the next head of
 * the same kind comes after that exchange has ended, so one array of each kind does. Without them a keep-alive client
 * cost two arrays per request, about a fifth of the proxy's garbage: the young collections, which stop every
 * connection of the daemon, came that much more often. A head larger than {@link #KEPT_BYTES} gets an array of its
 * own, so an idle connection holds at most two arrays of that size. The parsers and the exchange follow the same rule
 * (see {@link HttpHead}, {@link Exchange}), and cost a keep-alive request nothing either. Not thread-safe: confined to
 * the connection's loop, the one thread that uses them.
 */
final class HeadCopies {
    static final int KEPT_BYTES = 1024;
    private static final int SMALLEST = 128;

    private byte[] request;
    private byte[] response;
    /** What the heads are parsed into, and the exchange; each made when first needed (a tunnel needs none). */
    private HttpHead requestHead, responseHead;
    private Exchange exchange;

    /** The parser of this connection's request heads (see {@link HttpHead}: a head is read while its exchange lasts). */
    HttpHead requestHead() {
        if (requestHead == null) requestHead = new HttpHead();
        return requestHead;
    }

    /** The parser of this connection's response heads, interim ones included. */
    HttpHead responseHead() {
        if (responseHead == null) responseHead = new HttpHead();
        return responseHead;
    }

    /** The connection's exchange, started again for each request (see {@link Exchange}). */
    Exchange exchange() {
        if (exchange == null) exchange = new Exchange();
        return exchange;
    }

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
    static int size(int length) {
        return keptSize(length, KEPT_BYTES, SMALLEST);
    }

    /**
     * The size of a kept array for {@code length} elements: the next power of two (at least {@code smallest}) up to
     * {@code kept}, past which an array is not kept and gets exactly its length. Also {@link HeadFields}'s slots.
     */
    static int keptSize(int length, int kept, int smallest) {
        return length > kept ? length : Math.max(smallest, Integer.highestOneBit(Math.max(1, length - 1)) << 1);
    }
}
