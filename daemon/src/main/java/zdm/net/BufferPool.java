package zdm.net;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Heap buffers of {@link Inbound#INITIAL_BYTES} lent to a connection for one exchange with a worker and given back
 * when its client goes idle: an idle keep-alive connection then holds no response buffer, and a busy one does not
 * allocate one per request. Last in, first out (the buffer most recently used is the one most likely in cache), and
 * at most {@link #RETAINED} are kept: beyond that a returned buffer is left to the collector. Thread-safe.
 */
final class BufferPool {
    static final BufferPool SHARED = new BufferPool();
    /** As many as requests in flight at once on a busy port; 4 MiB. */
    static final int RETAINED = 256;

    private final ConcurrentLinkedDeque<ByteBuffer> free = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();

    ByteBuffer take() {
        var buffer = free.pollFirst();
        if (buffer == null) return ByteBuffer.allocate(Inbound.INITIAL_BYTES);
        size.decrementAndGet();
        return buffer;
    }

    /** Only buffers of the pool's size are kept (one that grew for a large head is dropped). */
    void give(ByteBuffer buffer) {
        if (buffer.capacity() != Inbound.INITIAL_BYTES || size.incrementAndGet() > RETAINED) {
            if (buffer.capacity() == Inbound.INITIAL_BYTES) size.decrementAndGet();
            return;
        }
        free.offerFirst(buffer.clear());
    }
}
