package zdm.supervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import zdm.proc.Posix;
import zdm.sys.UnixDatagram;

/**
 * Where the workers' NOTIFY_SOCKETs are bound: {@code $ZDM_HOME/notify/}, or, when the home's path
 * is too long for a Unix socket address (108 bytes), a short private directory
 * {@code zdm-<uid>-<hash of the home>} under {@code $XDG_RUNTIME_DIR} or {@code /tmp}. Never an
 * abstract name: common clients (Ruby's sd_notify gem, for one) only reach a path. The short
 * directory is checked as the home is (a directory, not a symlink, owned by this user, mode 0700)
 * because anyone could have created it first in {@code /tmp}; it is removed when the daemon stops.
 */
final class NotifyDir {
    /** Room for a socket's name, {@code <pid>-<seq>.sock}, after the directory. */
    static final int NAME_ROOM = 32;

    private final Path dir;
    private final boolean outsideHome;

    private NotifyDir(Path dir, boolean outsideHome) {
        this.dir = dir;
        this.outsideHome = outsideHome;
    }

    Path path() {
        return dir;
    }

    /** Picks and prepares the directory for {@code home}; {@code runtimeDir} is $XDG_RUNTIME_DIR or null. */
    static NotifyDir prepare(Path home, String runtimeDir) throws IOException {
        var rwx = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        Path inHome = home.toAbsolutePath().resolve("notify");
        if (fits(inHome)) {
            Files.createDirectories(inHome, rwx);
            return new NotifyDir(inHome, false);
        }
        String name = "zdm-" + Posix.getuid() + "-" + hash(home.toAbsolutePath().toString());
        Path base = runtimeDir != null && !runtimeDir.isBlank() && Path.of(runtimeDir).isAbsolute()
                && Files.isDirectory(Path.of(runtimeDir)) && fits(Path.of(runtimeDir, name)) ? Path.of(runtimeDir) : Path.of("/tmp");
        Path dir = base.resolve(name);
        try {
            Files.createDirectory(dir, rwx);
        } catch (FileAlreadyExistsException e) {
            // a previous daemon's (it crashed), or someone else's: only ours and private is acceptable
        }
        checkPrivate(dir);
        return new NotifyDir(dir, true);
    }

    private static boolean fits(Path dir) {
        return dir.toString().getBytes(StandardCharsets.UTF_8).length + 1 + NAME_ROOM <= UnixDatagram.MAX_ADDRESS_BYTES - 1;
    }

    static void checkPrivate(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory (a symlink or a file is in the way); remove it");
        }
        int owner = (int) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != Posix.getuid()) {
            throw new IOException(dir + " is owned by uid " + owner + ", not by this user (uid " + Posix.getuid() + "); remove it");
        }
        if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(PosixFilePermissions.fromString("rwx------"))) {
            throw new IOException(dir + " is not private (mode 0700 expected); remove it or chmod 700 it");
        }
    }

    /** Removes the short directory (the one in the home stays with the home); best effort. */
    void remove() {
        if (!outsideHome) return;
        try (var entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) Files.deleteIfExists(p);
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a worker kept serving (zdm kill --keep-workers) or a file we cannot remove: the next daemon reuses it
        }
    }

    private static String hash(String s) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
