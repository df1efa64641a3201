package zdm.sys;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * What every FFM call into the C library shares: the one linker and symbol lookup, handles with or
 * without errno capture, reading errno and its text, and close(2). No native code of ours: every
 * function is looked up in the C library the JVM already loaded. Errno is captured per call (never
 * read from a thread-local that a later call could overwrite). Stateless and thread-safe; the JVM
 * needs {@code --enable-native-access=ALL-UNNAMED}.
 */
@SuppressWarnings("restricted")   // FFM downcalls are restricted by design; the daemon runs with native access
public final class Libc {
    /** Allocate one per call and pass it first to a handle made by {@link #withErrno}. */
    public static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(groupElement("errno"));
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final MethodHandle STRERROR = function("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private Libc() {}

    /** A handle to C library function {@code name}; throws if the library lacks it. */
    static MethodHandle function(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.downcallHandle(LOOKUP.find(name).orElseThrow(() -> missing(name)), fd, options);
    }

    /** Like {@link #function}, the handle taking a {@link #CALL_STATE} segment first, where errno lands. */
    static MethodHandle withErrno(String name, FunctionDescriptor fd, Linker.Option... options) {
        return function(name, fd, withCapture(options));
    }

    /** {@link #withErrno}, or null where the C library lacks the function (newer glibc only). */
    static MethodHandle optionalWithErrno(String name, FunctionDescriptor fd) {
        return LOOKUP.find(name).map(addr -> LINKER.downcallHandle(addr, fd, CAPTURE_ERRNO)).orElse(null);
    }

    /** {@link #function}, or null where the C library lacks the function. */
    static MethodHandle optional(String name, FunctionDescriptor fd) {
        return LOOKUP.find(name).map(addr -> LINKER.downcallHandle(addr, fd)).orElse(null);
    }

    /** The errno a call left in {@code state} (a segment of {@link #CALL_STATE}). */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /**
     * close(2) of a descriptor we are done with, its result ignored: the descriptor is released
     * whatever close returns, and no caller could act on an error there.
     */
    public static void closeQuietly(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            // released either way
        }
    }

    /** strerror(3): e.g. "No such file or directory"; "errno N" if the C library has no text for it. */
    public static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.equals(MemorySegment.NULL) ? "errno " + errno : text.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** "call failed: text (errno N)", the one wording of a failed system call. */
    public static String failureText(String call, int errno) {
        return call + " failed: " + strerror(errno) + " (errno " + errno + ")";
    }

    /** A failed call as an unchecked exception (the call cannot fail for a reason a caller could act on). */
    public static IllegalStateException failure(String call, int errno) {
        return new IllegalStateException(failureText(call, errno));
    }

    /** What {@code invokeExact}'s Throwable becomes: errors thrown as they are, the rest unchecked. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    private static Linker.Option[] withCapture(Linker.Option[] options) {
        var all = new Linker.Option[options.length + 1];
        all[0] = CAPTURE_ERRNO;
        System.arraycopy(options, 0, all, 1, options.length);
        return all;
    }

    private static IllegalStateException missing(String name) {
        return new IllegalStateException("the C library has no function '" + name + "'");
    }
}
