package zdm.supervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import zdm.daemon.DaemonLog;
import zdm.proc.ProcessIdentity;
import zdm.sys.UnixDatagram;

/**
 * The NOTIFY_SOCKET of a worker that a previous daemon left running ({@code zdm kill --keep-workers}, or a crash).
 * Its receiving socket ended with that daemon, so the worker's next sd_notify would fail with ECONNREFUSED: puma, for
 * one, exits with code 1 before draining when its STOPPING=1 fails as it is retired. The fresh daemon binds the same
 * path again (read from the worker's initial environment, /proc/PID/environ, and accepted only inside this daemon's
 * notify directory) and reads it until the worker has exited, as systemd keeps a service's socket across its own
 * re-exec. The leftover is no longer supervised (it is retired once its replacement is online), so STOPPING=1 is an
 * event and everything else (WATCHDOG=1, STATUS=, ...) is received and ignored.
 */
final class LeftoverNotify {
    private static final Duration POLL = Duration.ofMillis(250);

    private LeftoverNotify() {}

    /** Starts receiving for {@code id}, a leftover worker of {@code app}, if it has a NOTIFY_SOCKET in {@code notifyDir}. */
    static void watch(Supervisor sup, String app, int worker, ProcessIdentity id, Path notifyDir) {
        Optional<Path> socket = notifySocket(id.pid(), notifyDir);
        if (socket.isEmpty()) return;
        UnixDatagram.Receiver receiver;
        try {
            receiver = UnixDatagram.bind(socket.get());
        } catch (IOException e) {
            DaemonLog.warn(app + "[" + worker + "] pid " + id.pid() + ": cannot listen on its NOTIFY_SOCKET again: " + e.getMessage());
            return;
        }
        Thread.ofPlatform().daemon().name("zdm-notify-leftover-" + id.pid()).stackSize(256 * 1024).start(() -> {
            try (receiver) {
                while (id.isAlive()) {
                    var d = receiver.receive(POLL);
                    if (d.isPresent() && NotifyWatch.fromTree(d.get().senderPid(), id.pid()) && NotifyMessage.parse(d.get().text()).stopping()) {
                        sup.loop().post(() -> sup.event(app, worker, "stopping", "pid " + id.pid() + " (left running by a previous daemon) sent STOPPING=1"));
                    }
                }
            } catch (IOException e) {
                DaemonLog.warn(app + "[" + worker + "] pid " + id.pid() + ": its NOTIFY_SOCKET failed: " + e.getMessage());
            }
        });
    }

    /** The worker's NOTIFY_SOCKET when it names a socket of ours ({@code notifyDir}/PID-N.sock), else empty. */
    static Optional<Path> notifySocket(long pid, Path notifyDir) {
        String environ;
        try {
            environ = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        for (String entry : environ.split("\0")) {
            if (!entry.startsWith("NOTIFY_SOCKET=")) continue;
            Path p = Path.of(entry.substring("NOTIFY_SOCKET=".length()));
            boolean ours = notifyDir.equals(p.getParent()) && p.getFileName().toString().matches("[0-9]+-[0-9]+\\.sock");
            return ours ? Optional.of(p) : Optional.empty();
        }
        return Optional.empty();
    }
}
