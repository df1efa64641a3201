package zdm.supervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import zdm.proc.UnixDatagram;

/**
 * {@code ready: notify}: systemd's sd_notify protocol. Each starting worker gets its own Unix datagram
 * socket, named in its {@code NOTIFY_SOCKET}, in {@code $ZDM_HOME/notify/} (0700, like the home);
 * the worker is ready when a datagram with a {@code READY=1} line arrives from the worker or one of
 * its descendants (so {@code npm start → node} works; the sender's pid comes from SO_PASSCRED, and
 * a datagram from anyone else is ignored). Created before the spawn (the variable must be in the
 * environment), watched after it by one platform thread (a blocking native poll would pin a
 * virtual thread's carrier), closed once decided, at the deadline or when the process exits.
 */
final class NotifyWatch implements AutoCloseable {
    private static final AtomicLong SEQ = new AtomicLong();
    private static final Duration POLL = Duration.ofMillis(250);
    private static final int MAX_ANCESTRY = 64;

    private final UnixDatagram.Receiver receiver;

    private NotifyWatch(UnixDatagram.Receiver receiver) {
        this.receiver = receiver;
    }

    /** Binds a fresh socket under {@code dir}, or an abstract one if that path would be too long. */
    static NotifyWatch open(Path dir) throws IOException {
        Files.createDirectories(dir);
        String name = ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet() + ".sock";
        Path path = dir.resolve(name);
        if (path.toString().getBytes(StandardCharsets.UTF_8).length <= UnixDatagram.MAX_ADDRESS_BYTES - 1) {
            return new NotifyWatch(UnixDatagram.bind(path));
        }
        return new NotifyWatch(UnixDatagram.bind("@zdm-notify-" + name, 4096));
    }

    /** What goes into the worker's NOTIFY_SOCKET. */
    String address() {
        return receiver.address();
    }

    void arm(App app, Worker w, int gen, Duration deadline, ReadinessCheck.Ready ready, ReadinessCheck.NotReady notReady) {
        var process = w.process();
        long pid = process.pid();
        var loop = app.loop();
        Thread.ofPlatform().daemon().name("zdm-notify-" + app.name() + "-" + w.id).stackSize(256 * 1024).start(() -> {
            long end = System.nanoTime() + deadline.toNanos();
            try {
                while (System.nanoTime() < end && !process.onExit().isDone()) {
                    Optional<UnixDatagram.Datagram> d = receiver.receive(POLL);
                    if (d.isPresent() && saysReady(d.get().text()) && fromTree(d.get().senderPid(), pid)) {
                        loop.post(() -> ready.accept(w, gen));
                        return;
                    }
                }
                if (!process.onExit().isDone()) {
                    loop.post(() -> notReady.accept(w, gen, "sent no READY=1 to its NOTIFY_SOCKET within listen_timeout "
                            + deadline.toMillis() + " ms"));
                }
            } catch (IOException e) {
                loop.post(() -> notReady.accept(w, gen, "its NOTIFY_SOCKET failed: " + e.getMessage()));
            } finally {
                close();
            }
        });
    }

    static boolean saysReady(String message) {
        return message.lines().anyMatch(l -> l.equals("READY=1"));
    }

    /** The sender is the worker or one of its descendants. */
    static boolean fromTree(long sender, long worker) {
        var p = ProcessHandle.of(sender);
        for (int i = 0; i < MAX_ANCESTRY && p.isPresent(); i++) {
            if (p.get().pid() == worker) return true;
            p = p.get().parent();
        }
        return false;
    }

    @Override
    public void close() {
        receiver.close();
    }
}
