package zdm.client;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import jdk.net.ExtendedSocketOptions;

/**
 * The CLI talks only to a daemon of its own user (root's CLI: root's daemon). Whoever can replace
 * {@code zdm.sock} (the owner of a home, say) could otherwise receive every request, environment
 * values included, and answer anything. The kernel vouches for the peer's uid (SO_PEERCRED), checked
 * right after connecting, before a byte is sent. Stateless and thread-safe.
 */
public final class DaemonIdentity {
    private DaemonIdentity() {}

    /** Null when the peer runs as this process's user, else the one-line refusal. */
    public static String refusal(SocketChannel ch, Path socket) throws IOException {
        UserPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED).user();
        // The owner of /proc/self is this process's effective uid; looked up by number, principals compare by uid.
        int self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        UserPrincipal me = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(Integer.toString(self));
        if (peer.equals(me)) return null;
        return "the process serving " + socket + " runs as user '" + peer.getName() + "', not as you (uid " + self
                + "), so it is not your zdm daemon; nothing was sent to it. Check who can write to " + socket.getParent()
                + ", or set ZDM_HOME to a directory of your own";
    }
}
