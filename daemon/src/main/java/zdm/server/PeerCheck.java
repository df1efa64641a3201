package zdm.server;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;
import zdm.proc.Posix;

/**
 * Who may talk to the daemon: its own user and root, nobody else, whatever the socket file's mode
 * says. The kernel vouches for the peer's uid through SO_PEERCRED, so this cannot be spoofed.
 */
public final class PeerCheck {
    private final UserPrincipal self;
    private final UserPrincipal root;
    private final int selfUid;

    public PeerCheck() throws IOException {
        var lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        this.self = lookup.lookupPrincipalByName(System.getProperty("user.name"));
        this.root = lookup.lookupPrincipalByName("root");
        this.selfUid = Posix.getuid();
    }

    /** The peer's uid if it is allowed (our uid or 0), else empty; {@code who} receives its name for the log. */
    public Optional<Integer> allowedUid(SocketChannel ch, StringBuilder who) throws IOException {
        var principal = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
        var user = principal.user();
        who.append(user.getName());
        // UserPrincipal equality compares uids, not names.
        if (user.equals(self)) return Optional.of(selfUid);
        if (user.equals(root)) return Optional.of(0);
        return Optional.empty();
    }
}
