package zdm.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * open(2) that never follows a symbolic link in the last component ({@code O_NOFOLLOW}) and never
 * leaks into a child ({@code O_CLOEXEC}), with the open(2) flags the rest of zdm passes. The JDK's
 * {@code LinkOption.NOFOLLOW_LINKS} covers its own channels; this is for a bare descriptor (a name
 * under {@code /proc/self/fd}, fallocate). Stateless, thread-safe.
 */
@SuppressWarnings("restricted")   // FFM downcalls are restricted by design; the daemon runs with native access
public final class NoFollow {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 01;
    public static final int O_CREAT = 0100;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_CLOEXEC = 02000000;
    /** Differs by architecture: the asm-generic value, but 0100000 on arm and powerpc. */
    public static final int O_NOFOLLOW = switch (System.getProperty("os.arch", "")) {
        case "aarch64", "arm", "ppc64", "ppc64le" -> 0100000;
        default -> 0400000;
    };
    private static final MethodHandle OPEN = Libc.withErrno("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

    private NoFollow() {}

    /**
     * Opens {@code file} with {@code flags} plus O_NOFOLLOW and O_CLOEXEC (a file it creates gets mode
     * 0600 under the umask); the caller closes the descriptor ({@link Libc#closeQuietly}).
     *
     * @throws NoSuchFileException if it does not exist
     * @throws IOException naming the file: a symbolic link (refused), or the C library's text for the errno
     */
    public static int open(Path file, int flags) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(file.toString()), flags | O_NOFOLLOW | O_CLOEXEC, 0600);
            if (fd >= 0) return fd;
            int errno = Libc.errno(state);
            if (errno == Errno.ELOOP) throw linkRefused(file);
            if (errno == Errno.ENOENT) throw new NoSuchFileException(file.toString());
            throw new IOException(file + ": " + Libc.strerror(errno));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The one wording of a refused link: zdm never follows links in its home. */
    public static IOException linkRefused(Path file) {
        return new IOException(file + " is a symbolic link; zdm never follows links in its home: remove it");
    }
}
