package zdm.net;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static zdm.proc.Libc.CALL_STATE;
import static zdm.proc.Libc.errno;
import static zdm.proc.Libc.strerror;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import zdm.proc.Libc;
import zdm.proc.Posix;
import zdm.proc.ProcessIdentity;

/**
 * Takes a {@code listen: socket} app's listening socket back from a worker that a previous daemon
 * left running: its fd 3, copied into this process ({@link Posix#copyDescriptor}) and checked to be a
 * listening socket on the app's port. With it, a restarted daemon starts fresh workers on the very
 * socket the old ones accept on and stops the old ones only once the fresh ones are ready: the port
 * never stops accepting. Without it (an older kernel or C library, a ptrace restriction, the worker
 * gone) the daemon binds the port anew, after the old workers have released it.
 */
@SuppressWarnings("restricted")
public final class SocketHandover {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final int INHERITED_FD = 3, SOL_SOCKET = 1, SO_ACCEPTCONN = 30;

    private static final MethodHandle GETSOCKOPT = handle("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETSOCKNAME = handle("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

    private SocketHandover() {}

    /**
     * A copy of {@code worker}'s fd 3, if it is a listening socket on {@code port}.
     *
     * @throws IOException with the reason (one line) when it cannot be taken over
     */
    public static SharedSocket takeOver(String app, int port, ProcessIdentity worker) throws IOException {
        int fd = Posix.copyDescriptor(worker, INHERITED_FD);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment value = arena.allocate(JAVA_INT);
            MemorySegment length = arena.allocateFrom(JAVA_INT, 4);
            if ((int) GETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_ACCEPTCONN, value, length) != 0
                    || value.get(JAVA_INT, 0) != 1) {
                throw new IOException("fd 3 of pid " + worker.pid() + " is not a listening socket");
            }
            MemorySegment address = arena.allocate(128, 4);
            MemorySegment addressLength = arena.allocateFrom(JAVA_INT, 128);
            if ((int) GETSOCKNAME.invokeExact(state, fd, address, addressLength) != 0) {
                throw new IOException("getsockname: " + strerror(errno(state)));
            }
            int bound = (Byte.toUnsignedInt(address.get(JAVA_BYTE, 2)) << 8) | Byte.toUnsignedInt(address.get(JAVA_BYTE, 3));
            if (bound != port) throw new IOException("fd 3 of pid " + worker.pid() + " listens on port " + bound + ", not " + port);
            return SharedSocket.ofDescriptor(app, port, fd);
        } catch (IOException | RuntimeException e) {
            Libc.closeQuietly(fd);
            throw e;
        } catch (Throwable t) {
            Libc.closeQuietly(fd);
            throw new IllegalStateException(t);
        }
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor, ERRNO);
    }
}
