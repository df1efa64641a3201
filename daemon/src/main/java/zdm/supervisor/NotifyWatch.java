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
 * a service's: created before the spawn (the variable must be in the environment), read while the
 * process lives by the daemon's one {@link NotifyReader} (the socket in its epoll set), closed and
 * unlinked once the process's exit has been seen and the messages it sent just before are drained.
 * A datagram counts only when it comes from the worker or one of its descendants (so
 * {@code npm start → node} works; the sender's pid comes from SO_PASSCRED and cannot be forged);
 * anyone else's is ignored.
 *
 * <p>With {@code ready: notify} the first {@code READY=1} makes the worker ready, and none within
 * {@code listen_timeout} fails its start. Every other message ({@link NotifyMessage}) is handed to
 * the supervision loop: {@code STATUS=} is shown, {@code STOPPING=1} takes the worker out of the
 * proxy's rotation, {@code WATCHDOG=1} feeds {@code liveness: watchdog}. The socket lives in
 * {@link NotifyDir}, never in the abstract namespace, which many clients cannot reach.
 */
final class NotifyWatch implements AutoCloseable {
    private static final AtomicLong SEQ = new AtomicLong();
    /** Datagrams read from one socket per wake-up: a flooding worker cannot hold the reader from the others. */
    private static final int MAX_PER_WAKE = 64;
    private static final int MAX_ANCESTRY = 64;
    /** What is drained after the exit: a last STATUS= or STOPPING=1 sent just before it. */
    private static final int MAX_LATE_MESSAGES = 64;

    private final UnixDatagramReceiver receiver;
    private final NotifyReader reader;
    private Reading reading;   // the reader thread's only, as done
    private boolean done;

    private NotifyWatch(UnixDatagramReceiver receiver, NotifyReader reader) {
        this.receiver = receiver;
        this.reader = reader;
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
        var reader = NotifyReader.get();   // before the bind: nothing is left open if there is no reader
        return new NotifyWatch(UnixDatagram.bind(path), reader);
    }

    /** What goes into the worker's NOTIFY_SOCKET. */
    String address() {
        return receiver.address();
    }

    /**
     * Hands the socket to the reader. {@code readiness} is the listen_timeout deadline when {@code ready: notify}
     * decides readiness, else null (then READY=1 is accepted and ignored). The deadline runs on the
     * host's clock and every result is posted guarded ({@link App#post}), as for the other checks.
     */
    void watch(App app, Worker w, int gen, Duration readiness, ReadinessCheck.Ready ready, ReadinessCheck.NotReady notReady) {
        var process = w.process();
        var decided = new AtomicBoolean(readiness == null);
        if (readiness != null) {
            app.schedule(readiness, () -> {
                if (decided.compareAndSet(false, true)) {
                    notReady.accept(w, gen, "sent no READY=1 to its NOTIFY_SOCKET within listen_timeout "
                            + readiness.toMillis() + " ms");
                }
            });
        }
        var reading = new Reading(app, w, gen, process.pid(), decided, ready, notReady);
        // Handed over in this order, so the reader has the socket before it hears of the exit, however early that is.
        reader.run(() -> start(reading));
        process.onExit().whenComplete((status, failure) -> reader.run(this::exited));
    }

    /** What one worker's messages are read for; set before the reader starts on it. */
    private record Reading(App app, Worker w, int gen, long pid, AtomicBoolean decided,
                           ReadinessCheck.Ready ready, ReadinessCheck.NotReady notReady) {}

    /** On the reader thread. */
    private void start(Reading r) {
        reading = r;
        if (!reader.add(this, receiver.descriptor())) failed(new IOException("epoll_ctl refused to watch " + receiver.address()));
    }

    /** On the reader thread: the socket has datagrams; a bounded number is read, the rest at the next wake-up. */
    void readable() {
        var r = reading;
        try {
            for (int i = 0; i < MAX_PER_WAKE && !done; i++) {
                Optional<UnixDatagram.Datagram> d = receiver.receive(Duration.ZERO);
                if (d.isEmpty()) return;
                if (fromTree(d.get().senderPid(), r.pid)) {
                    var m = NotifyMessage.parse(d.get().text());
                    if (m.ready() && r.decided.compareAndSet(false, true)) r.app.post(() -> r.ready.accept(r.w, r.gen));
                    r.app.post(() -> apply(r.app, r.w, r.gen, r.pid, m));
                }
            }
        } catch (IOException e) {
            failed(e);
        } catch (RuntimeException e) {
            finish();   // a bug: the socket is let go (the reader logs it) rather than reported readable forever
            throw e;
        }
    }

    /** On the reader thread, once the process's exit has been seen: its last messages, then the socket is closed. */
    private void exited() {
        if (done) return;   // failed before
        var r = reading;
        try {
            for (int i = 0; i < MAX_LATE_MESSAGES; i++) {
                var d = receiver.receive(Duration.ZERO);
                if (d.isEmpty()) break;
                // The sender may be gone already, so its ancestry cannot be checked: only the worker's own pid counts.
                if (d.get().senderPid() == r.pid) {
                    var m = NotifyMessage.parse(d.get().text());
                    r.app.post(() -> apply(r.app, r.w, r.gen, r.pid, m));
                }
            }
        } catch (IOException e) {
            failed(e);
            return;
        } catch (RuntimeException e) {
            finish();
            throw e;
        }
        finish();
    }

    /** On the reader thread: reported as the readiness failure if it is still undecided, else as a note. */
    private void failed(IOException e) {
        var r = reading;
        if (r.decided.compareAndSet(false, true)) {
            r.app.post(() -> r.notReady.accept(r.w, r.gen, "its NOTIFY_SOCKET failed: " + e.getMessage()));
        } else {
            r.app.post(() -> r.app.ctx().logs().note(r.app.name(), "worker " + r.w.id + " NOTIFY_SOCKET failed: " + e.getMessage()));
        }
        finish();
    }

    /** On the reader thread: out of the epoll set first, then closed (which unlinks the socket file). */
    private void finish() {
        done = true;
        reader.remove(receiver.descriptor());
        close();
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

    /**
     * Closes the socket and unlinks its file. Called by others only before {@link #watch} (a spawn that failed); once
     * watched, only the reader closes it, after taking it out of its epoll set.
     */
    @Override
    public void close() {
        receiver.close();
    }
}
