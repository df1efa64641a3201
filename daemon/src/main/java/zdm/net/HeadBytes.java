package zdm.net;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What {@link HttpHead} needs to read a head where it lies, as ISO-8859-1 text (one char per byte) without decoding it:
 * searches, whitespace as {@link Character#isWhitespace} sees it (so a value reads exactly as
 * {@code String.strip()} left it), comparisons that ignore case, and a writer for the head a worker gets. Header names
 * and the tokens compared are ASCII, and no ISO-8859-1 letter outside ASCII changes case into one, so ASCII case
 * folding is exact here. Stateless, except for its writer.
 */
final class HeadBytes {
    private HeadBytes() {}

    static int indexOf(byte[] bytes, int from, int to, char c) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == c) return i;
        }
        return -1;
    }

    static boolean isWhitespace(byte b) {
        return Character.isWhitespace((char) (b & 0xFF));
    }

    /** The first position in {@code [from, to)} that is not whitespace, or {@code to}. */
    static int skipWhitespace(byte[] bytes, int from, int to) {
        while (from < to && isWhitespace(bytes[from])) from++;
        return from;
    }

    /** The end of {@code [from, to)} with the whitespace at its end left out. */
    static int trimWhitespace(byte[] bytes, int from, int to) {
        while (to > from && isWhitespace(bytes[to - 1])) to--;
        return to;
    }

    static boolean startsWith(byte[] bytes, int from, String ascii) {
        if (bytes.length - from < ascii.length()) return false;
        for (int i = 0; i < ascii.length(); i++) {
            if (bytes[from + i] != ascii.charAt(i)) return false;
        }
        return true;
    }

    /** Whether {@code [from, to)} is {@code ascii} (letters in either case). */
    static boolean equalsIgnoreCase(byte[] bytes, int from, int to, String ascii) {
        if (to - from != ascii.length()) return false;
        for (int i = 0; i < ascii.length(); i++) {
            if (lower(bytes[from + i]) != lower((byte) ascii.charAt(i))) return false;
        }
        return true;
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    /** Whether an element of the comma-separated list in {@code [from, to)}, without its surrounding whitespace, is token. */
    static boolean listContains(byte[] bytes, int from, int to, String token) {
        int start = from;
        while (start <= to) {
            int comma = indexOf(bytes, start, to, ',');
            int end = comma < 0 ? to : comma;
            int first = skipWhitespace(bytes, start, end);
            if (equalsIgnoreCase(bytes, first, trimWhitespace(bytes, first, end), token)) return true;
            if (comma < 0) return false;
            start = comma + 1;
        }
        return false;
    }

    static boolean isToken(byte[] bytes, int from, int to) {
        if (from >= to) return false;
        for (int i = from; i < to; i++) {
            if (!HttpHead.isTokenChar(bytes[i])) return false;
        }
        return true;
    }

    /** Request-target characters: visible ASCII, and bytes >= 0x80 (raw UTF-8 paths exist in the wild). */
    static boolean isVisible(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            int c = bytes[i] & 0xFF;
            if (c <= ' ' || c == 127) return false;
        }
        return true;
    }

    static String text(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** The method as a string: the common ones shared rather than decoded for every request. */
    static String method(byte[] bytes, int from, int to) {
        for (var known : KNOWN_METHODS) {
            if (to - from == known.length() && startsWith(bytes, from, known)) return known;
        }
        return text(bytes, from, to);
    }

    private static final String[] KNOWN_METHODS = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"};

    /**
     * Bytes written in order into an array that grows. Reusable ({@link #reset}): the head for the worker is written
     * for each request of a connection into one writer, whose array is kept from one head to the next up to
     * {@link HeadCopies#KEPT_BYTES}, as the connection's head copies are.
     */
    static final class Writer {
        private static final byte[] NONE = new byte[0];

        private byte[] out;
        private int size;

        Writer(int capacity) {
            out = capacity == 0 ? NONE : new byte[capacity];
        }

        /**
         * Empties it for a text of {@code capacity} bytes, written into the array it has when that is large enough
         * and not one kept past its use (see {@link #trim}), else into a new one. @return this
         */
        Writer reset(int capacity) {
            size = 0;
            if (out.length < capacity || (out.length > HeadCopies.KEPT_BYTES && capacity <= HeadCopies.KEPT_BYTES)) {
                out = new byte[HeadCopies.size(capacity)];
            }
            return this;
        }

        /** Gives up an array larger than {@link HeadCopies#KEPT_BYTES} (a large head's), once its text is no longer read. */
        void trim() {
            if (out.length <= HeadCopies.KEPT_BYTES) return;
            out = NONE;
            size = 0;
        }

        /** The array written into: the text is its first {@link #size()} bytes. */
        byte[] array() {
            return out;
        }

        int size() {
            return size;
        }

        Writer copy(byte[] bytes, int from, int to) {
            int length = to - from;
            room(length);
            System.arraycopy(bytes, from, out, size, length);
            size += length;
            return this;
        }

        /**
         * Copies a range of a head whose positions past {@code head.length} are in this writer (a value unfolded
         * before, as {@link HttpHead} numbers them). Should the writer grow meanwhile, the array it had still holds
         * that range.
         */
        Writer copyValue(byte[] head, int from, int to) {
            if (from < head.length) return copy(head, from, to);
            return copy(out, from - head.length, to - head.length);
        }

        Writer ascii(String text) {
            room(text.length());
            for (int i = 0; i < text.length(); i++) out[size++] = (byte) text.charAt(i);
            return this;
        }

        Writer crlf() {
            return ascii("\r\n");
        }

        byte[] toArray() {
            return size == out.length ? out : Arrays.copyOf(out, size);
        }

        /** {@code head} followed by what was written. */
        byte[] appendedTo(byte[] head) {
            var all = Arrays.copyOf(head, head.length + size);
            System.arraycopy(out, 0, all, head.length, size);
            return all;
        }

        private void room(int more) {
            if (size + more > out.length) out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
        }
    }
}
