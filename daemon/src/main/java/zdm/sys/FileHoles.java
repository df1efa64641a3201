package zdm.sys;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Frees the disk space of a file's prefix without changing its size or offsets:
 * {@code fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)}. A capture file that a worker keeps
 * appending to can thus be "consumed" by the daemon while the worker's file offset stays valid;
 * the punched range reads back as zeros. The JDK has no such call, hence FFM. Best effort: a file
 * system without hole punching simply keeps the bytes.
 */
@SuppressWarnings("restricted")
public final class FileHoles {
    private static final int KEEP_SIZE = 0x01;
    private static final int PUNCH_HOLE_KEEP_SIZE = 0x02 | KEEP_SIZE;
    private static final MethodHandle FALLOCATE = Libc.function("fallocate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));

    private FileHoles() {}

    /** Punches out [0, length rounded down to 4 KiB); returns whether the file system did it. */
    public static boolean punchPrefix(Path file, long length) {
        long aligned = length & ~4095L;
        if (aligned <= 0) return false;
        return fallocate(file, PUNCH_HOLE_KEEP_SIZE, 0L, aligned);
    }

    /**
     * Allocates [from, from + length) without changing the file's size ({@code FALLOC_FL_KEEP_SIZE}): appends
     * into that range need no new blocks, so a writer there does not get ENOSPC when the disk fills up.
     */
    public static boolean reserve(Path file, long from, long length) {
        return fallocate(file, KEEP_SIZE, from, length);
    }

    private static boolean fallocate(Path file, int mode, long from, long length) {
        try {
            int fd = NoFollow.open(file, NoFollow.O_WRONLY);
            try {
                return (int) FALLOCATE.invokeExact(fd, mode, from, length) == 0;
            } finally {
                Libc.closeQuietly(fd);
            }
        } catch (Throwable t) {
            return false;
        }
    }
}
