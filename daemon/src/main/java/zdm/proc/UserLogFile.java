package zdm.proc;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A log file at a path the user chose (pm2's {@code out_file}, {@code error_file}, {@code log_file}), appended to
 * as pm2 does: missing parent directories are created, the file is created with the daemon's umask (not 0600: it
 * is the user's file, often read by other tools), and symbolic links are followed (the path is the user's own
 * choice, written in a file only the daemon's user can have zdm run). It is never rotated by zdm; when it is
 * renamed or deleted (logrotate without copytruncate), the next write after a second reopens the path.
 *
 * <p>Only regular files and character devices are opened: a FIFO or a socket at the path is refused, because
 * opening a FIFO nobody reads would block the daemon's log writer. {@code /dev/stdout} and {@code /dev/stderr}
 * are the daemon's own descriptors 1 and 2 (useful with {@code zdm run} in a container).
 *
 * <p>Thread-safe: the monitor is held for one write(2) and the checks around it, nothing else.
 */
final class UserLogFile {
    private static final long RECHECK_NS = 1_000_000_000L;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFCHR = 0020000;

    private final Path path;
    private final boolean daemonStream;
    private OutputStream out; // null until the first write, after a failure and once the file was moved away
    private Object fileKey;
    private long checkedAt;

    UserLogFile(Path path) {
        this.path = path;
        this.daemonStream = path.toString().equals("/dev/stdout") || path.toString().equals("/dev/stderr");
    }

    synchronized void append(byte[] bytes, int length) throws IOException {
        if (length == 0) return;
        if (out != null && !daemonStream && System.nanoTime() - checkedAt > RECHECK_NS) reopenIfMoved();
        if (out == null) open();
        try {
            out.write(bytes, 0, length);
        } catch (IOException e) {
            closeQuietly();
            throw e;
        }
    }

    /** Empties the file ({@code zdm flush}); a device is left alone. */
    synchronized void truncate() throws IOException {
        if (daemonStream || !Files.isRegularFile(path)) return;
        closeQuietly();
        try (var ignored = new FileOutputStream(path.toFile(), false)) {
            // opened without append: emptied
        }
    }

    synchronized void close() {
        closeQuietly();
    }

    private void open() throws IOException {
        if (daemonStream) {
            out = new FileOutputStream(path.toString().equals("/dev/stdout") ? FileDescriptor.out : FileDescriptor.err);
            return;
        }
        Path parent = path.getParent();
        if (parent != null && !Files.isDirectory(parent)) Files.createDirectories(parent);
        if (Files.exists(path)) {
            int type = ((Integer) Files.getAttribute(path, "unix:mode")) & S_IFMT;
            if (type != S_IFREG && type != S_IFCHR) {
                throw new IOException("is not a regular file or a device (a FIFO or a socket would block zdm's log writer)");
            }
        }
        out = new FileOutputStream(path.toFile(), true);
        fileKey = key();
        checkedAt = System.nanoTime();
    }

    /** logrotate renamed (or someone deleted) the file: continue in a new one at the path. */
    private void reopenIfMoved() {
        checkedAt = System.nanoTime();
        Object now;
        try {
            now = key();
        } catch (NoSuchFileException e) {
            now = null;
        } catch (IOException e) {
            return; // cannot tell: keep writing where we are
        }
        if (now == null || !now.equals(fileKey)) closeQuietly();
    }

    private Object key() throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }

    private void closeQuietly() {
        if (out == null) return;
        try {
            if (!daemonStream) out.close();
        } catch (IOException ignored) {
            // nothing useful to do
        }
        out = null;
    }
}
