package zdm.proc;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import zdm.sys.Children;
import zdm.sys.Epoll;
import zdm.sys.Libc;
import zdm.sys.Pidfd;

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
final class ChildExits {
    private static final int MAX_EVENTS = 64;

    private record Watched(long pid, CompletableFuture<ExitStatus> exit) {}

    private static final Map<Integer, Watched> byPidfd = new ConcurrentHashMap<>();
    private static volatile boolean tried;
    private static volatile Epoll epoll;   // set once tried; null where pidfds or epoll are unavailable

    private ChildExits() {}

    /**
     * Watches {@code pid}, a child of ours that nobody reaps yet, and returns its exit status once it
     * has been reaped. Call it before anything else could reap the child (i.e. within
     * {@link ChildReaper#spawnBegins}/{@link ChildReaper#spawnEnds}). Never throws.
     */
    static CompletableFuture<ExitStatus> watch(long pid) {
        var exit = new CompletableFuture<ExitStatus>();
        Epoll set = epoll();
        int pidfd = set != null ? Pidfd.open((int) pid) : -1;
        if (pidfd < 0) {
            waitOnOwnThread(pid, exit);
            return exit;
        }
        byPidfd.put(pidfd, new Watched(pid, exit));
        if (!set.add(pidfd)) {
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

    private static Epoll epoll() {
        if (tried) return epoll;
        synchronized (ChildExits.class) {
            if (tried) return epoll;
            Epoll set = Pidfd.canOpen() ? Epoll.create(MAX_EVENTS) : null;
            if (set != null) {
                Thread.ofPlatform().daemon().name("zdm-child-exits").stackSize(256 * 1024).start(() -> loop(set));
            }
            epoll = set;
            tried = true;
            return set;
        }
    }

    private static void loop(Epoll set) {
        try {
            int[] ready = new int[MAX_EVENTS];
            while (true) {
                int n = set.await(ready);
                for (int i = 0; i < n; i++) {
                    int pidfd = ready[i];
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
            status = waitFor(w.pid);
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
                var status = waitFor(pid);
                ChildReaper.reaped(pid);
                exit.complete(status);
            } catch (RuntimeException e) {
                ChildReaper.reaped(pid);
                exit.completeExceptionally(e);
            }
        });
    }

    /** Blocks until the child exits and reaps it (waitpid); an exit someone else reaped reads as code 255. */
    static ExitStatus waitFor(long pid) {
        int status = Children.waitFor((int) pid);
        return status < 0 ? new ExitStatus(255, null) : ExitStatus.ofWaitStatus(status);
    }
}
