package zdm.proc;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static zdm.proc.Libc.CALL_STATE;
import static zdm.proc.Libc.errno;
import static zdm.proc.Libc.strerror;

/**
 * The one owner of the exits of the workers the daemon spawns: one platform thread waits in
 * {@code epoll_wait} on a pidfd per worker (a pidfd becomes readable when its process exits), then
 * reaps exactly that pid with waitpid and completes its future. So the daemon's thread count does not
 * grow with its workers, as it did with {@code Process.onExit} (a JDK reaper thread blocked in waitpid
 * per child). Only pids registered here are reaped here; orphans are {@link ChildReaper}'s, and a pid
 * is unregistered there once reaped here (see its Javadoc on stealing exits).
 *
 * <p>Where pidfds are missing (Linux before 5.3, a C library without {@code pidfd_open}, a seccomp
 * filter), each worker falls back to a platform thread blocked in waitpid, as before. Thread-safe.
 */
@SuppressWarnings("restricted")
final class ChildExits {
    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLLIN = 1;
    private static final int EINTR = 4;
    private static final int MAX_EVENTS = 64;
    /** struct epoll_event is packed on x86-64 (12 bytes, data at 4); 16 bytes with data at 8 elsewhere. */
    private static final boolean PACKED = "amd64".equals(System.getProperty("os.arch")) || "x86_64".equals(System.getProperty("os.arch"));
    private static final long EVENT_SIZE = PACKED ? 12 : 16;
    private static final long DATA_OFFSET = PACKED ? 4 : 8;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final MethodHandle EPOLL_CREATE1 = handle("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = handle("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_WAIT = handle("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle PIDFD_OPEN = LINKER.defaultLookup().find("pidfd_open")
            .map(a -> LINKER.downcallHandle(a, FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), ERRNO)).orElse(null);

    private record Watched(long pid, CompletableFuture<ExitStatus> exit) {}

    private static final Map<Integer, Watched> byPidfd = new ConcurrentHashMap<>();
    private static volatile int epollFd = -2;   // -2: not yet tried, -1: unavailable

    private ChildExits() {}

    /**
     * Watches {@code pid}, a child of ours that nobody reaps yet, and returns its exit status once it
     * has been reaped. Call it before anything else could reap the child (i.e. within
     * {@link ChildReaper#spawnBegins}/{@link ChildReaper#spawnEnds}). Never throws.
     */
    static CompletableFuture<ExitStatus> watch(long pid) {
        var exit = new CompletableFuture<ExitStatus>();
        int pidfd = epoll() >= 0 ? pidfdOpen(pid) : -1;
        if (pidfd < 0) {
            waitOnOwnThread(pid, exit);
            return exit;
        }
        byPidfd.put(pidfd, new Watched(pid, exit));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment event = arena.allocate(EVENT_SIZE, 4);
            event.set(JAVA_INT, 0, EPOLLIN);
            event.set(JAVA_LONG_UNALIGNED, DATA_OFFSET, pidfd);
            MemorySegment state = arena.allocate(CALL_STATE);
            if ((int) EPOLL_CTL.invokeExact(state, epollFd, EPOLL_CTL_ADD, pidfd, event) != 0) {
                byPidfd.remove(pidfd);
                Libc.closeQuietly(pidfd);
                waitOnOwnThread(pid, exit);
            }
        } catch (Throwable t) {
            byPidfd.remove(pidfd);
            Libc.closeQuietly(pidfd);
            waitOnOwnThread(pid, exit);
        }
        return exit;
    }

    /** How many exits are watched through the shared epoll set right now (for tests). */
    static int watched() {
        return byPidfd.size();
    }

    private static int epoll() {
        if (epollFd != -2) return epollFd;
        synchronized (ChildExits.class) {
            if (epollFd != -2) return epollFd;
            int fd = -1;
            if (PIDFD_OPEN != null) {
                try (Arena arena = Arena.ofConfined()) {
                    fd = (int) EPOLL_CREATE1.invokeExact(arena.allocate(CALL_STATE), EPOLL_CLOEXEC);
                } catch (Throwable t) {
                    fd = -1;
                }
            }
            if (fd >= 0) {
                int epfd = fd;
                Thread.ofPlatform().daemon().name("zdm-child-exits").stackSize(256 * 1024).start(() -> loop(epfd));
            }
            epollFd = fd;
            return fd;
        }
    }

    private static int pidfdOpen(long pid) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) PIDFD_OPEN.invokeExact(arena.allocate(CALL_STATE), (int) pid, 0);
        } catch (Throwable t) {
            return -1;
        }
    }

    private static void loop(int epfd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(EVENT_SIZE * MAX_EVENTS, 8);
            MemorySegment state = arena.allocate(CALL_STATE);
            while (true) {
                int n = (int) EPOLL_WAIT.invokeExact(state, epfd, events, MAX_EVENTS, -1);
                if (n < 0) {
                    int e = errno(state);
                    if (e == EINTR) continue;
                    throw new IllegalStateException("epoll_wait failed: " + strerror(e));
                }
                for (int i = 0; i < n; i++) {
                    int pidfd = (int) events.get(JAVA_LONG_UNALIGNED, i * EVENT_SIZE + DATA_OFFSET);
                    Watched w = byPidfd.remove(pidfd);
                    Libc.closeQuietly(pidfd);   // also takes it out of the epoll set
                    if (w != null) reap(w);
                }
            }
        } catch (Throwable t) {
            // Never expected; without this thread no exit would ever be reported, so say so loudly.
            System.err.println("zdm: the child-exit watcher failed: " + t);
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
        }
    }

    /** The pidfd is readable: the process has exited, so waitpid returns at once. */
    private static void reap(Watched w) {
        ExitStatus status;
        try {
            status = PosixSpawn.waitFor(w.pid);
        } catch (RuntimeException e) {
            ChildReaper.reaped(w.pid);
            Thread.ofVirtual().start(() -> w.exit.completeExceptionally(e));
            return;
        }
        ChildReaper.reaped(w.pid);
        // Dependents (draining the worker's last output, posting to the loop) run off this thread.
        Thread.ofVirtual().start(() -> w.exit.complete(status));
    }

    /** Without pidfds: a platform thread blocked in waitpid (a native call would pin a virtual thread's carrier). */
    private static void waitOnOwnThread(long pid, CompletableFuture<ExitStatus> exit) {
        Thread.ofPlatform().daemon().name("zdm-wait-" + pid).stackSize(256 * 1024).start(() -> {
            try {
                var status = PosixSpawn.waitFor(pid);
                ChildReaper.reaped(pid);
                exit.complete(status);
            } catch (RuntimeException e) {
                ChildReaper.reaped(pid);
                exit.completeExceptionally(e);
            }
        });
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(
                () -> new IllegalStateException("the C library has no function '" + name + "'")), fd, ERRNO);
    }
}
