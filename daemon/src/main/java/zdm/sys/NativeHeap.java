package zdm.sys;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Gives the C library's free heap back to the OS: glibc's {@code malloc_trim(0)}, which the JVM itself
 * calls only every -XX:TrimNativeHeapInterval. A reload of 1,000 workers leaves ~10 MiB of freed
 * malloc memory (the JIT's arenas, FFM call buffers) that glibc keeps until the next trim, so the
 * daemon's RSS after a burst depended on where in the JVM's 30 s period it was read
 * (zdm.daemon.HeapReturn trims once a burst is over). A C library without the function (musl) keeps it.
 */
@SuppressWarnings("restricted")
public final class NativeHeap {
    private static final MethodHandle MALLOC_TRIM = Libc.optional("malloc_trim", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));

    private NativeHeap() {}

    /** Trims every arena; returns whether any memory went back to the OS (false too where there is no malloc_trim). */
    public static boolean trim() {
        if (MALLOC_TRIM == null) return false;
        try {
            return (int) MALLOC_TRIM.invokeExact(0L) == 1;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
