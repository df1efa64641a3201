package zdm.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * The receive side of one direction of a connection: a single heap buffer, allocated once and reused for every read,
 * whose unread bytes are {@code buffer[position, limit)}. Heads are parsed in place from {@link #array()}; body bytes
 * are written on from it without being decoded. A heap buffer because heads are parsed by index from its array. Not
 * thread-safe: owned by one thread at a time.
 */
final class Inbound {
    /** Enough for nearly every response head and a good bite of a body; a client's starts smaller (see below). */
    static final int INITIAL_BYTES = 16 * 1024;
    /**
     * A client's buffer starts with room for a typical request head and doubles, up to the head limit, only for a
     * larger one or a streamed body: an idle or stalled client costs this much, not a body buffer.
     */
    static final int CLIENT_INITIAL_BYTES = 4 * 1024;

    /** A head that does not fit the limit: 431 for a request, 502 for a response. */
    static final class HeadTooLargeException extends ProtocolException {
        HeadTooLargeException(int limit) {
            super("message head larger than " + limit + " bytes");
        }
    }

    private ByteBuffer buffer;
    /**
     * Bytes consumed by {@link #forward} but not yet written: {@code buffer[pendingFrom, position)}, for
     * {@code pendingTo} (null: none). Forwarded pieces of one message (a response head, chunk lines, chunk data) lie
     * next to each other in the buffer, so they leave in one write instead of one each: every write on a loopback
     * socket is a system call and a wake-up of the reader. Written before the buffer is refilled or moved, so nothing
     * is held back while this side waits for more input.
     */
    private WritableByteChannel pendingTo;
    private int pendingFrom;
    /** Where bytes read are counted (the app's traffic), or null. */
    private java.util.concurrent.atomic.LongAdder counted;

    Inbound() {
        this(INITIAL_BYTES);
    }

    Inbound(int initialBytes) {
        buffer = ByteBuffer.allocate(initialBytes).limit(0);
    }

    /** A receive side that has no buffer until {@link #borrow}; for a worker's responses. */
    static Inbound withoutBuffer() {
        var inbound = new Inbound(0);
        inbound.buffer = null;
        return inbound;
    }

    /** Takes a buffer from the pool unless it has one. */
    void borrow(BufferPool pool) {
        if (buffer == null) buffer = pool.take().limit(0);
    }

    /** Returns the buffer to the pool, forgetting any unread bytes; {@link #borrow} before the next use. */
    void giveBack(BufferPool pool) {
        if (buffer == null) return;
        pendingTo = null;
        pool.give(buffer);
        buffer = null;
    }

    /** The buffer, in read mode, now owned by the caller (a {@link Tunnel}); {@link #borrow} before the next use. */
    ByteBuffer handOver() {
        var handed = buffer;
        buffer = null;
        return handed;
    }

    /** Grows the buffer to at least {@code bytes} (a streamed body moves faster through a larger one). */
    void reserve(int bytes) throws IOException {
        grow(bytes);
    }

    /** Counts every byte read from now on into {@code adder} (null: stop counting). */
    Inbound countingInto(java.util.concurrent.atomic.LongAdder adder) {
        counted = adder;
        return this;
    }

    private int count(int read) {
        if (read > 0 && counted != null) counted.add(read);
        return read;
    }

    /** The buffer itself, in read mode; handed to a {@link Tunnel} when the connection becomes one. */
    ByteBuffer buffer() {
        return buffer;
    }

    byte[] array() {
        return buffer.array();
    }

    /** Index in {@link #array()} of the first unread byte. */
    int position() {
        return buffer.position();
    }

    int available() {
        return buffer.remaining();
    }

    void skip(int bytes) {
        buffer.position(buffer.position() + bytes);
    }

    /** Forgets any unread bytes (left over from a backend connection that is no longer used). */
    void clear() {
        pendingTo = null;
        buffer.clear().limit(0);
    }

    /** Reads more bytes after the unread ones: the count, 0 if the buffer is full, -1 at end of stream. */
    int fill(ReadableByteChannel from) throws IOException {
        flush();
        makeRoom();
        if (buffer.limit() == buffer.capacity()) return 0;
        int start = buffer.position();
        buffer.position(buffer.limit()).limit(buffer.capacity());
        try {
            return count(from.read(buffer));
        } finally {
            buffer.limit(buffer.position()).position(start);
        }
    }

    /** As {@link #fill(ReadableByteChannel)}, from a stream (a socket's, which honours its read timeout). */
    int fill(InputStream from) throws IOException {
        flush();
        makeRoom();
        int end = buffer.limit();
        if (end == buffer.capacity()) return 0;
        int read = count(from.read(buffer.array(), end, buffer.capacity() - end));
        if (read > 0) buffer.limit(end + read);
        return read;
    }

    /** Writes the next {@code bytes} unread bytes to {@code to} and consumes them. */
    void writeTo(WritableByteChannel to, int bytes) throws IOException {
        int limit = buffer.limit();
        buffer.limit(buffer.position() + bytes);
        try {
            while (buffer.hasRemaining()) to.write(buffer);
        } finally {
            buffer.limit(limit);
        }
    }

    /**
     * Consumes the next {@code bytes} unread bytes and writes them to {@code to} with the ones forwarded before them,
     * at the latest when this buffer is refilled or {@link #flush()} is called.
     */
    void forward(WritableByteChannel to, int bytes) throws IOException {
        if (pendingTo != to) {
            flush();
            pendingTo = to;
            pendingFrom = buffer.position();
        }
        skip(bytes);
    }

    /** Writes the bytes {@link #forward} consumed and has not written yet. */
    void flush() throws IOException {
        if (pendingTo == null) return;
        var to = pendingTo;
        pendingTo = null;
        int position = buffer.position();
        int limit = buffer.limit();
        buffer.position(pendingFrom).limit(position);
        try {
            while (buffer.hasRemaining()) to.write(buffer);
        } finally {
            buffer.limit(limit).position(position);
        }
    }

    /** Writes the next {@code bytes} unread bytes to {@code to} but keeps them unread, so they can be sent again. */
    void copyTo(WritableByteChannel to, int bytes) throws IOException {
        int position = buffer.position();
        try {
            writeTo(to, bytes);
        } finally {
            buffer.position(position);
        }
    }

    /**
     * Reads until the unread bytes start with a complete message head (start line, header lines, empty line).
     *
     * @return the head's length in bytes including the empty line, or -1 if the stream ended before any byte
     * @throws HeadTooLargeException if no head ends within {@code limit} bytes
     * @throws EOFException if the stream ended inside a head
     */
    int readHead(ReadableByteChannel from, int limit) throws IOException {
        int scanned = 0;
        while (true) {
            int length = headLength(scanned);
            if (length > 0) {
                if (length > limit) throw new HeadTooLargeException(limit);
                return length;
            }
            if (available() >= limit) throw new HeadTooLargeException(limit);
            scanned = Math.max(0, available() - 3); // the empty line may straddle two reads
            if (buffer.position() == 0 && buffer.limit() == buffer.capacity()) {
                grow(Math.min(limit, 2 * buffer.capacity()));
            }
            int read = fill(from);
            if (read < 0) {
                if (available() == 0) return -1;
                throw new EOFException("connection closed inside a message head");
            }
        }
    }

    /**
     * Reads until the unread bytes hold a complete line (ending in LF).
     *
     * @return its length including the line end
     */
    int readLine(ReadableByteChannel from, int limit) throws IOException {
        int scanned = 0;
        while (true) {
            byte[] bytes = buffer.array();
            int start = buffer.position();
            for (int i = start + scanned; i < buffer.limit(); i++) {
                if (bytes[i] == '\n') return i - start + 1;
            }
            scanned = available();
            if (scanned >= limit) throw new ProtocolException("line longer than " + limit + " bytes");
            if (buffer.position() == 0 && buffer.limit() == buffer.capacity()) grow(2 * buffer.capacity());
            if (fill(from) < 0) throw new EOFException("connection closed inside a line");
        }
    }

    /** Length of the head at the start of the unread bytes (LF CRLF or LF LF ends it), or -1 if incomplete. */
    private int headLength(int from) {
        byte[] bytes = buffer.array();
        int start = buffer.position();
        int end = buffer.limit();
        for (int i = start + from; i < end; i++) {
            if (bytes[i] != '\n') continue;
            if (i + 1 < end && bytes[i + 1] == '\n') return i + 2 - start;
            if (i + 2 < end && bytes[i + 1] == '\r' && bytes[i + 2] == '\n') return i + 3 - start;
        }
        return -1;
    }

    /** Moves unread bytes to the front when the free space at the end has become small. */
    private void makeRoom() {
        if (!buffer.hasRemaining()) {
            clear();
        } else if (buffer.position() > 0
                && (buffer.limit() == buffer.capacity() || buffer.position() >= buffer.capacity() / 2)) {
            buffer.compact().flip();
        }
    }

    private void grow(int capacity) throws IOException {
        if (buffer.capacity() >= capacity) return;
        flush();
        var larger = ByteBuffer.allocate(capacity);
        larger.put(buffer).flip();
        buffer = larger;
    }
}
