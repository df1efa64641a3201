package zdm.proc;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * One append-only log file that rotates by size: when a line would take it past {@code maxBytes},
 * {@code f} becomes {@code f.1} (and {@code f.1} becomes {@code f.2}, ..., up to {@code maxFiles}; the
 * oldest is deleted) and a new {@code f} is started, so no line is ever split or lost. Workers never
 * write here (the daemon copies their output from capture files), so rotation is invisible to them.
 *
 * <p>Thread-safe: the monitor guards this one file's descriptor and size. It is held for one
 * write(2) of a line or a batch of lines (and a rotation's renames, when the batch crosses one) and nothing else: no callbacks, no other lock, so it cannot
 * deadlock and a slow disk delays only the writers of this very file.
 */
final class LogFile {
    /** A size limit of 0 turns rotation off. */
    record Limits(long maxBytes, int maxFiles) {
        static final Limits DEFAULT = new Limits(10L << 20, 5);
    }

    private final Path path;
    private FileOutputStream out; // null until the first write, and after a flush or a failure
    private long size;

    LogFile(Path path) {
        this.path = path;
    }

    synchronized void append(byte[] line, Limits limits) throws IOException {
        append(line, new int[] {line.length}, 1, limits);
    }

    /**
     * Appends {@code count} lines, line i ending (its '\n' included) at {@code ends[i]} in {@code bytes}:
     * one write(2) for all of them, or one per file when the batch crosses a rotation.
     */
    synchronized void append(byte[] bytes, int[] ends, int count, Limits limits) throws IOException {
        if (count == 0) return;
        if (out == null) open();
        int written = 0;
        if (limits.maxBytes() > 0) {
            for (int i = 0; i < count; i++) {
                int lineStart = i == 0 ? 0 : ends[i - 1];
                long before = size + (lineStart - written);
                if (before > 0 && before + (ends[i] - lineStart) > limits.maxBytes()) {
                    write(bytes, written, lineStart - written);
                    written = lineStart;
                    rotate(limits.maxFiles());
                }
            }
        }
        write(bytes, written, ends[count - 1] - written);
    }

    private void write(byte[] bytes, int from, int len) throws IOException {
        if (len == 0) return;
        try {
            out.write(bytes, from, len);
            size += len;
        } catch (IOException e) {
            closeQuietly();
            throw e;
        }
    }

    /** Empties the file and deletes its rotated predecessors. */
    synchronized void flush(int maxFiles) throws IOException {
        closeQuietly();
        PrivateHome.truncate(path);
        // Rotated files beyond today's limit may exist from an earlier, larger log_max_files.
        for (int i = 1; i <= Math.max(maxFiles, 99); i++) Files.deleteIfExists(rotated(path, i));
    }

    synchronized void close() {
        closeQuietly();
    }

    /** {@code web.out.log.3} for i = 3. */
    static Path rotated(Path file, int i) {
        return file.resolveSibling(file.getFileName() + "." + i);
    }

    private void rotate(int maxFiles) throws IOException {
        closeQuietly();
        if (maxFiles <= 0) {
            PrivateHome.truncate(path);
        } else {
            Files.deleteIfExists(rotated(path, maxFiles));
            for (int i = maxFiles - 1; i >= 1; i--) {
                Path from = rotated(path, i);
                if (Files.exists(from)) Files.move(from, rotated(path, i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(path, rotated(path, 1), StandardCopyOption.REPLACE_EXISTING);
        }
        open();
    }

    private void open() throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        out = PrivateHome.append(path); // created 0600; a symbolic link planted there is refused, never followed
        size = out.getChannel().size();
    }

    private void closeQuietly() {
        if (out == null) return;
        try {
            out.close();
        } catch (IOException ignored) {
            // nothing useful to do
        }
        out = null;
    }
}
