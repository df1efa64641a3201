package zdm.net;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static zdm.proc.Libc.CALL_STATE;
import static zdm.proc.Libc.errno;
import static zdm.proc.Libc.strerror;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Takes a {@code listen: socket} app's listening socket back from a worker that a previous daemon
 * left running: {@code pidfd_open} + {@code pidfd_getfd} copy the worker's fd 3 into this process
 * (Linux 5.6+; allowed for a process of the same user that the kernel would let us ptrace). With it,
 * a restarted daemon starts fresh workers on the very socket the old ones accept on and stops the
 * old ones only once the fresh ones are ready: the port never stops accepting. Without it (an older
 * kernel, a ptrace restriction, the worker gone) the daemon binds the port anew, after the old
 * workers have released it.
 */
@SuppressWarnings("restricted")
public final class SocketHandover {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    // The same numbers on every Linux architecture (system calls added since 5.1 share one table).
    private static final long SYS_PIDFD_OPEN = 434, SYS_PIDFD_GETFD = 438;
    private static final int INHERITED_FD = 3, SOL_SOCKET = 1, SO_ACCEPTCONN = 30;

    private static final MethodHandle SYSCALL = LINKER.downcallHandle(LINKER.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), ERRNO, Linker.Option.firstVariadicArg(1));
    private static final MethodHandle GETSOCKOPT = handle("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETSOCKNAME = handle("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private SocketHandover() {}

    /**
     * A copy of worker {@code pid}'s fd 3, if it is a listening socket on {@code port}.
     *
     * @throws IOException with the reason (one line) when it cannot be taken over
     */
    public static SharedSocket takeOver(String app, int port, long pid) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int pidfd = (int) (long) SYSCALL.invokeExact(state, SYS_PIDFD_OPEN, pid, 0L, 0L);
            if (pidfd < 0) throw new IOException("pidfd_open(" + pid + "): " + strerror(errno(state)));
            int fd;
            try {
                fd = (int) (long) SYSCALL.invokeExact(state, SYS_PIDFD_GETFD, (long) pidfd, (long) INHERITED_FD, 0L);
                if (fd < 0) throw new IOException("pidfd_getfd(pid " + pid + ", fd 3): " + strerror(errno(state)));
            } finally {
                int ignored = (int) CLOSE.invokeExact(state, pidfd);
            }
            try {
                MemorySegment value = arena.allocate(JAVA_INT);
                MemorySegment length = arena.allocateFrom(JAVA_INT, 4);
                if ((int) GETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_ACCEPTCONN, value, length) != 0
                        || value.get(JAVA_INT, 0) != 1) {
                    throw new IOException("fd 3 of pid " + pid + " is not a listening socket");
                }
                MemorySegment address = arena.allocate(128, 4);
                MemorySegment addressLength = arena.allocateFrom(JAVA_INT, 128);
                if ((int) GETSOCKNAME.invokeExact(state, fd, address, addressLength) != 0) {
                    throw new IOException("getsockname: " + strerror(errno(state)));
                }
                int bound = (Byte.toUnsignedInt(address.get(JAVA_BYTE, 2)) << 8) | Byte.toUnsignedInt(address.get(JAVA_BYTE, 3));
                if (bound != port) throw new IOException("fd 3 of pid " + pid + " listens on port " + bound + ", not " + port);
                return SharedSocket.ofDescriptor(app, port, fd);
            } catch (IOException | RuntimeException e) {
                int ignored = (int) CLOSE.invokeExact(state, fd);
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor, ERRNO);
    }
}
