package zdm.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import zdm.log.DaemonLog;
import zdm.proc.ProcessIdentity;
import zdm.sys.UnixDatagram;
import zdm.sys.UnixDatagramReceiver;

/**
 * The NOTIFY_SOCKETs of workers that a previous daemon left running ({@code zdm kill --keep-workers}, or a crash).
 * Their receiving sockets ended with that daemon, so a worker's next sd_notify would fail with ECONNREFUSED: puma, for
 * one, exits with code 1 before draining when its STOPPING=1 fails as it is retired. The fresh daemon binds every
 * socket file left in its {@link NotifyDir} again (before it starts a worker of its own, so all of them are a previous
 * daemon's) and reads them while any leftover lives, as systemd keeps a service's socket across its own re-exec. Which
 * file belongs to which worker is not needed: a message counts for the leftover whose process tree sent it
 * (SO_PASSCRED). The worker's environment would not tell reliably: puma's process title overwrites /proc/PID/environ.
 * Leftovers are no longer supervised (each is retired once its replacement is online), so STOPPING=1 is an event and
 * everything else (WATCHDOG=1, STATUS=, ...) is received and ignored.
 */
final class LeftoverNotify {
    private static final Duration POLL = Duration.ofMillis(250);

    /** A live worker of a previous daemon. */
    record Kept(String app, int worker, ProcessIdentity id) {}

    private LeftoverNotify() {}

    /** Binds the socket files in {@code notifyDir} again and reads them until every one of {@code kept} has exited. */
    static void listen(AppRegistry sup, List<Kept> kept, Path notifyDir) {
        List<Path> sockets;
        try (var files = Files.list(notifyDir)) {
            sockets = files.filter(p -> p.getFileName().toString().matches("[0-9]+-[0-9]+\\.sock")).toList();
        } catch (IOException e) {
            DaemonLog.warn("cannot list " + notifyDir + " (" + e.getMessage() + "); leftover workers' sd_notify messages are lost");
            return;
        }
        for (Path socket : sockets) {
            UnixDatagramReceiver receiver;
            try {
                receiver = UnixDatagram.bind(socket);
            } catch (IOException e) {
                DaemonLog.warn("cannot listen on " + socket + " again: " + e.getMessage());
                continue;
            }
            Thread.ofPlatform().daemon().name("zdm-notify-leftover").stackSize(256 * 1024).start(() -> read(sup, kept, receiver));
        }
    }

    private static void read(AppRegistry sup, List<Kept> kept, UnixDatagramReceiver receiver) {
        try (receiver) {
            while (kept.stream().anyMatch(k -> k.id().isAlive())) {
                var d = receiver.receive(POLL);
                if (d.isEmpty() || !NotifyMessage.parse(d.get().text()).stopping()) continue;
                long sender = d.get().senderPid();
                kept.stream().filter(k -> NotifyWatch.fromTree(sender, k.id().pid())).findFirst().ifPresent(k -> sup.loop().post(() ->
                        sup.event(k.app(), k.worker(), "stopping", "pid " + k.id().pid() + " (left running by a previous daemon) sent STOPPING=1")));
            }
        } catch (IOException e) {
            DaemonLog.warn("a leftover worker's NOTIFY_SOCKET failed: " + e.getMessage());
        }
    }
}
