package zdm.supervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import zdm.sys.UnixDatagram;
import zdm.sys.UnixDatagramReceiver;

/**
 * A worker's sd_notify socket ({@code NOTIFY_SOCKET}), for its whole life as systemd keeps it for
 * a service's: created before the spawn (the variable must be in the environment), read by one
 * platform thread while the process lives (a blocking native poll would pin a virtual thread's
 * carrier), closed and unlinked once the process has exited. A datagram counts only when it comes
 * from the worker or one of its descendants (so {@code npm start → node} works; the sender's pid
 * comes from SO_PASSCRED and cannot be forged); anyone else's is ignored.
 *
 * <p>With {@code ready: notify} the first {@code READY=1} makes the worker ready, and none within
 * {@code listen_timeout} fails its start. Every other message ({@link NotifyMessage}) is handed to
 * the supervision loop: {@code STATUS=} is shown, {@code STOPPING=1} takes the worker out of the
 * proxy's rotation, {@code WATCHDOG=1} feeds {@code liveness: watchdog}. The socket lives in
 * {@link NotifyDir}, never in the abstract namespace, which many clients cannot reach.
 */
final class NotifyWatch implements AutoCloseable {
    private static final AtomicLong SEQ = new AtomicLong();
    private static final Duration POLL = Duration.ofMillis(250);
    private static final int MAX_ANCESTRY = 64;
    /** What is drained after the exit: a last STATUS= or STOPPING=1 sent just before it. */
    private static final int MAX_LATE_MESSAGES = 64;

    private final UnixDatagramReceiver receiver;

    private NotifyWatch(UnixDatagramReceiver receiver) {
        this.receiver = receiver;
    }

    /** Binds a fresh socket in {@code dir}, which {@link NotifyDir} made short enough for any name. */
    static NotifyWatch open(Path dir) throws IOException {
        Path path;
        do { // a leftover worker's socket, bound again (LeftoverNotify), may hold a name this pid would give
            path = dir.resolve(ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet() + ".sock");
        } while (Files.exists(path, LinkOption.NOFOLLOW_LINKS));
        if (path.toString().getBytes(StandardCharsets.UTF_8).length > UnixDatagram.MAX_ADDRESS_BYTES - 1) {
            throw new IOException("the notify socket path " + path + " is too long for a Unix socket");
        }
        return new NotifyWatch(UnixDatagram.bind(path));
    }

    /** What goes into the worker's NOTIFY_SOCKET. */
    String address() {
        return receiver.address();
    }

    /**
     * Starts reading. {@code readiness} is the listen_timeout deadline when {@code ready: notify}
     * decides readiness, else null (then READY=1 is accepted and ignored). The deadline runs on the
     * host's clock and every result is posted guarded ({@link App#post}), as for the other checks.
     */
    void watch(App app, Worker w, int gen, Duration readiness, ReadinessCheck.Ready ready, ReadinessCheck.NotReady notReady) {
        var process = w.process();
        long pid = process.pid();
        var decided = new AtomicBoolean(readiness == null);
        if (readiness != null) {
            app.schedule(readiness, () -> {
                if (decided.compareAndSet(false, true)) {
                    notReady.accept(w, gen, "sent no READY=1 to its NOTIFY_SOCKET within listen_timeout "
                            + readiness.toMillis() + " ms");
                }
            });
        }
        Thread.ofPlatform().daemon().name("zdm-notify-" + app.name() + "-" + w.id).stackSize(256 * 1024).start(() -> {
            try {
                while (!process.onExit().isDone()) {
                    Optional<UnixDatagram.Datagram> d = receiver.receive(POLL);
                    if (d.isPresent() && fromTree(d.get().senderPid(), pid)) {
                        var m = NotifyMessage.parse(d.get().text());
                        if (m.ready() && decided.compareAndSet(false, true)) app.post(() -> ready.accept(w, gen));
                        app.post(() -> apply(app, w, gen, pid, m));
                    }
                }
                for (int i = 0; i < MAX_LATE_MESSAGES; i++) {
                    var d = receiver.receive(Duration.ZERO);
                    if (d.isEmpty()) break;
                    // The sender may be gone already, so its ancestry cannot be checked: only the worker's own pid counts.
                    if (d.get().senderPid() == pid) {
                        var m = NotifyMessage.parse(d.get().text());
                        app.post(() -> apply(app, w, gen, pid, m));
                    }
                }
            } catch (IOException e) {
                if (decided.compareAndSet(false, true)) {
                    app.post(() -> notReady.accept(w, gen, "its NOTIFY_SOCKET failed: " + e.getMessage()));
                } else {
                    app.post(() -> app.ctx().logs().note(app.name(), "worker " + w.id + " NOTIFY_SOCKET failed: " + e.getMessage()));
                }
            } finally {
                close();
            }
        });
    }

    /**
     * On the loop: what a message means for the worker (READY=1 was handled by the readiness check).
     * A message read after its process's exit was handled (a STOPPING=1 sent just before exiting) only
     * leaves its event: the slot may hold another process by now.
     */
    static void apply(App app, Worker w, int gen, long pid, NotifyMessage m) {
        if (w.generation() != gen || w.state().pid() != pid) {
            if (m.stopping()) app.ctx().event(app.name(), w.id, "stopping", "pid " + pid + " sent STOPPING=1");
            return;
        }
        if (m.status() != null) w.notifiedStatus(m.status());
        if (m.watchdog()) w.watchdogBeat(app.host().nowMs()); // the host's monotonic clock, as WatchdogCheck's
        if (m.reloading()) app.ctx().event(app.name(), w.id, "notify", "pid " + pid + " sent RELOADING=1 (recorded only)");
        if (m.stopping() && !w.announcedStop()) {
            w.announceStop();
            app.ctx().event(app.name(), w.id, "stopping", "pid " + pid + " sent STOPPING=1"
                    + (w.state() instanceof WorkerState.Online ? "; out of rotation" : ""));
            app.updateRotation();
        }
        if (m.watchdogTrigger()) LivenessCheck.unresponsive(app, w, gen, "sent WATCHDOG=trigger");
    }

    /** The sender is the worker or one of its descendants. */
    static boolean fromTree(long sender, long worker) {
        if (sender == worker) return true; // even once it has exited and been reaped, its last words count
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
