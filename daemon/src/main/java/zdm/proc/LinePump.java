package zdm.proc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Copies one output pipe of a worker, line by line, to a consumer. Lines longer than
 * {@link #MAX_LINE} bytes are split (at a UTF-8 character boundary); bytes are decoded as UTF-8 with
 * replacement characters for malformed input; a trailing CR is dropped. Runs until EOF, then returns.
 * Not thread-safe: one pump per stream, run by one thread.
 */
final class LinePump {
    static final int MAX_LINE = 64 * 1024;

    private final InputStream in;
    private final Consumer<String> lines;
    private byte[] buf = new byte[1024];
    private int len;

    LinePump(InputStream in, Consumer<String> lines) {
        this.in = in;
        this.lines = lines;
    }

    /** Reads to EOF (or a read error, e.g. the stream was closed), emitting every line; never throws. */
    void run() {
        byte[] chunk = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                for (int i = 0; i < n; i++) {
                    byte b = chunk[i];
                    if (b == '\n') {
                        emit(len, true);
                    } else {
                        append(b);
                        if (len >= MAX_LINE) emit(splitPoint(), false);
                    }
                }
            }
        } catch (IOException e) {
            // the pipe was closed under us: nothing more to read
        }
        if (len > 0) emit(len, true);
    }

    private void append(byte b) {
        if (len == buf.length) buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_LINE));
        buf[len++] = b;
    }

    /** Where to cut a full buffer so no multi-byte UTF-8 character is split in two. */
    private int splitPoint() {
        int cut = len;
        // step back over continuation bytes (10xxxxxx), then before their lead byte
        while (cut > len - 3 && cut > 0 && (buf[cut - 1] & 0xC0) == 0x80) cut--;
        if (cut > 0 && (buf[cut - 1] & 0xC0) == 0xC0) return cut - 1;
        return len;
    }

    private void emit(int upTo, boolean lineEnd) {
        int end = upTo;
        if (lineEnd && end > 0 && buf[end - 1] == '\r') end--;
        String text = new String(buf, 0, end, StandardCharsets.UTF_8);
        System.arraycopy(buf, upTo, buf, 0, len - upTo);
        len -= upTo;
        try {
            lines.accept(text);
        } catch (RuntimeException e) {
            // A broken sink must not stop the pump: an undrained pipe would block the worker.
        }
    }
}
