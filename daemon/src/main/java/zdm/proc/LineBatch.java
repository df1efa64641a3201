package zdm.proc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The complete lines of one stream read in one go, as raw bytes (without terminators), so a sink can
 * write them with one system call instead of one per line: what lets the capture keep up with a worker
 * that floods its output. Reused from read to read; not thread-safe (one reader fills it, the sink
 * reads it before the next fill). It also lends the sink a reusable buffer to format the lines into.
 */
public final class LineBatch {
    private byte[] data = new byte[16 * 1024];
    private int[] ends = new int[256];
    private int size;
    private int count;
    private final Formatted formatted = new Formatted();

    /** Lines formatted for a file: {@code bytes[0, ends[count-1])}, line i ending (its '\n' included) at ends[i]. */
    public static final class Formatted {
        byte[] bytes = new byte[16 * 1024];
        int[] ends = new int[256];
        int length;
        int count;

        void clear() {
            length = 0;
            count = 0;
        }

        void put(byte[] src, int from, int len) {
            if (length + len > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + len));
            System.arraycopy(src, from, bytes, length, len);
            length += len;
        }

        void put(byte b) {
            if (length == bytes.length) bytes = Arrays.copyOf(bytes, bytes.length * 2);
            bytes[length++] = b;
        }

        void endLine() {
            if (count == ends.length) ends = Arrays.copyOf(ends, ends.length * 2);
            ends[count++] = length;
        }
    }

    public int count() {
        return count;
    }

    /** Line i decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String text(int i) {
        return new String(data, start(i), ends[i] - start(i), StandardCharsets.UTF_8);
    }

    int start(int i) {
        return i == 0 ? 0 : ends[i - 1];
    }

    int end(int i) {
        return ends[i];
    }

    byte[] data() {
        return data;
    }

    Formatted formatted() {
        return formatted;
    }

    /** Adds a line; a trailing CR (of a CRLF ending) is dropped. */
    void add(byte[] src, int from, int len) {
        if (len > 0 && src[from + len - 1] == '\r') len--;
        if (size + len > data.length) data = Arrays.copyOf(data, Math.max(data.length * 2, size + len));
        System.arraycopy(src, from, data, size, len);
        size += len;
        if (count == ends.length) ends = Arrays.copyOf(ends, ends.length * 2);
        ends[count++] = size;
    }

    void clear() {
        size = 0;
        count = 0;
    }
}
