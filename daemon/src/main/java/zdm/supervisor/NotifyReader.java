package zdm.supervisor;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import zdm.log.DaemonLog;
import zdm.sys.Epoll;
import zdm.sys.EventFd;

/**
 * The one platform thread ({@value #THREAD_NAME}) that reads every worker's NOTIFY_SOCKET ({@link NotifyWatch}), so the
 * daemon's thread count does not grow with its workers (issue 16) as it did with a thread per socket. It sleeps in
 * {@code epoll_wait} on all the sockets and one {@link EventFd}, and wakes only when a datagram arrives or another
 * thread hands it work ({@link #run}): a new socket to watch, a worker's exit. No periodic wake-up, however many
 * sockets. A platform thread because a blocking native call would pin a virtual thread's carrier.
 *
 * <p>Everything that touches the set of watched sockets runs on this thread, so a socket is never closed while it is
 * being read, and its descriptor number, once closed, is never looked up for it again.
 */
final class NotifyReader {
    static final String THREAD_NAME = "zdm-notify";
    private static final int MAX_EVENTS = 64;
    private static NotifyReader instance;   // guarded by NotifyReader.class

    private final Epoll set;
    private final EventFd doorbell;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Map<Integer, NotifyWatch> byDescriptor = new HashMap<>();   // the reader thread's only

    private NotifyReader(Epoll set, EventFd doorbell) {
        this.set = set;
        this.doorbell = doorbell;
    }

    /** The reader, started on first use; an IOException if the kernel gives no epoll set or eventfd. */
    static synchronized NotifyReader get() throws IOException {
        if (instance != null) return instance;
        Epoll set = Epoll.create(MAX_EVENTS);
        if (set == null) throw new IOException("cannot create an epoll set to read NOTIFY_SOCKETs");
        EventFd doorbell = EventFd.create();
        if (!set.add(doorbell.descriptor())) throw new IOException("cannot watch an eventfd to read NOTIFY_SOCKETs");
        var reader = new NotifyReader(set, doorbell);
        Thread.ofPlatform().daemon().name(THREAD_NAME).stackSize(256 * 1024).start(reader::loop);
        instance = reader;
        return reader;
    }

    /** From any thread: runs {@code task} on the reader thread, after the tasks handed over before it. */
    void run(Runnable task) {
        tasks.add(task);
        doorbell.signal();
    }

    /** On the reader thread: reads {@code watch}'s socket from now on; false if the kernel refused. */
    boolean add(NotifyWatch watch, int descriptor) {
        if (!set.add(descriptor)) return false;
        byDescriptor.put(descriptor, watch);
        return true;
    }

    /** On the reader thread: stops reading a socket, before it is closed. */
    void remove(int descriptor) {
        byDescriptor.remove(descriptor);
        set.remove(descriptor);
    }

    private void loop() {
        int[] ready = new int[MAX_EVENTS];
        while (true) {
            int n = set.await(ready);
            boolean rung = false;
            // The sockets first, then the handed-over work: a datagram that came before an exit is read as the
            // worker's, by the tree check, and only what is left then is drained as late.
            for (int i = 0; i < n; i++) {
                if (ready[i] == doorbell.descriptor()) {
                    rung = true;
                } else {
                    var watch = byDescriptor.get(ready[i]);
                    if (watch != null) guarded(watch::readable);
                }
            }
            if (rung) {
                doorbell.drain();   // before taking the tasks: one handed over after this rings again
                for (Runnable task; (task = tasks.poll()) != null; ) guarded(task);
            }
        }
    }

    /** A bug in one worker's handling must not end the reading of every other's socket. */
    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            DaemonLog.warn("reading a NOTIFY_SOCKET failed: " + e);
        }
    }
}
