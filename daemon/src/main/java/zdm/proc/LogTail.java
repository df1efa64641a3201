package zdm.proc;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads the last lines of a (possibly large) log file from its end. Thread-safe (stateless). */
final class LogTail {
    private static final int CHUNK = 8192;

    private LogTail() {}

    /** The last {@code n} complete or final lines of the file, oldest first; empty if it does not exist. */
    static List<String> lastLines(Path file, int n) throws IOException {
        if (n <= 0 || !Files.exists(file)) return List.of();
        var chunks = new ArrayDeque<byte[]>();
        long pos;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            pos = ch.size();
            int newlines = 0;
            // n lines need n terminators plus the newline before the first of them
            while (pos > 0 && newlines <= n) {
                int len = (int) Math.min(CHUNK, pos);
                pos -= len;
                ByteBuffer buf = ByteBuffer.allocate(len);
                while (buf.hasRemaining()) {
                    if (ch.read(buf, pos + buf.position()) < 0) break;
                }
                byte[] bytes = Arrays.copyOf(buf.array(), buf.position());
                for (byte b : bytes) if (b == '\n') newlines++;
                chunks.addFirst(bytes);
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        var all = new ByteArrayOutputStream();
        for (byte[] c : chunks) all.writeBytes(c);
        String text = all.toString(StandardCharsets.UTF_8);
        var lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.getLast().isEmpty()) lines.removeLast();   // after the final '\n'
        if (pos > 0 && !lines.isEmpty()) lines.removeFirst();                     // cut mid-line
        return List.copyOf(lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
}
