package zdm.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import zdm.log.DaemonLog;
import zdm.sys.UnixDatagram;

/**
 * systemd's readiness protocol (sd_notify(3)) for a unit with {@code Type=notify}: when
 * {@code NOTIFY_SOCKET} is set, the daemon says {@code READY=1} once its apps are restored and
 * settled, and {@code STOPPING=1} when a graceful stop begins. Without the variable every call is a
 * no-op, so a daemon started by hand or by the CLI behaves exactly as before.
 *
 * <p>Sending never blocks and never fails the daemon: a refused datagram is logged once. Messages
 * carry {@code MAINPID} (our pid: {@code bin/zdm} exec's java, so it is the unit's main process).
 * Thread-safe.
 */
public final class SdNotify {
    private final String address;   // null: not under systemd
    private volatile boolean warned;

    SdNotify(String address) {
        this.address = usable(address) ? address : null;
        if (address != null && !address.isEmpty() && this.address == null) {
            DaemonLog.warn("NOTIFY_SOCKET=" + address + " is not a Unix socket path or @name; not notifying systemd");
        }
    }

    public static SdNotify fromEnvironment() {
        return new SdNotify(System.getenv("NOTIFY_SOCKET"));
    }

    public boolean enabled() {
        return address != null;
    }

    /** The service is up: apps restored and settled. */
    public void ready(String status) {
        send("READY=1\nMAINPID=" + ProcessHandle.current().pid() + "\nSTATUS=" + oneLine(status));
    }

    /** A graceful stop has begun (systemd then waits up to TimeoutStopSec for us to exit). */
    public void stopping(String status) {
        send("STOPPING=1\nSTATUS=" + oneLine(status));
    }

    public void status(String status) {
        send("STATUS=" + oneLine(status));
    }

    private void send(String message) {
        if (address == null) return;
        try {
            UnixDatagram.send(address, message.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            if (!warned) {
                warned = true;
                DaemonLog.warn("could not notify systemd through " + address + ": " + e.getMessage());
            }
        }
    }

    private static boolean usable(String address) {
        return address != null && address.length() > 1 && (address.startsWith("/") || address.startsWith("@"));
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ');
    }
}
