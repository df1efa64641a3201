package zdm.proc;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import zdm.sys.Libc;
import zdm.sys.NoFollow;

import static zdm.sys.NoFollow.O_APPEND;
import static zdm.sys.NoFollow.O_CREAT;
import static zdm.sys.NoFollow.O_TRUNC;
import static zdm.sys.NoFollow.O_WRONLY;

/**
 * The one place that decides whether a zdm home can be trusted and opens files in it. Like ssh's
 * StrictModes: the home and every directory in it must belong to the user running zdm and be
 * writable by nobody else, or zdm refuses to use it (another user could otherwise have planted a
 * symbolic link, a database or a socket there). Files in the home are opened without following a
 * symbolic link ({@code O_NOFOLLOW}); with the directories verified, only the user (or root) could
 * swap a file for a link afterwards. Stateless and thread-safe.
 */
public final class PrivateHome {
    private static final int MAX_DEPTH = 4;
    private static final OpenOption[] NO_LINKS = {LinkOption.NOFOLLOW_LINKS};

    private PrivateHome() {}

    /** Why a home is not used: one line that names the fix. */
    public static final class UntrustedHomeException extends IOException {
        UntrustedHomeException(String message) {
            super(message);
        }
    }

    /**
     * Makes sure {@code home} can be trusted: creates it (0700) and the {@code subdirectories}
     * (relative to it, 0700) when missing, tightens a home others may read to 0700, and refuses a
     * home, or any directory in it, that is a symbolic link (but the home itself, when the link is
     * the user's), belongs to another user, or that group or others may write.
     */
    public static void secure(Path home, String... subdirectories) throws IOException {
        var rwx = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        if (Files.isSymbolicLink(home)) {
            // A home that is a link (~/.zdm -> /data/zdm) is followed only if the user made the link.
            checkOwner(home, ownerOf(home), "the symbolic link");
        }
        if (!Files.exists(home)) Files.createDirectories(home, rwx);
        Path real = home.toRealPath();
        checkDirectory(real, home);
        if (!PosixFilePermissions.toString(Files.getPosixFilePermissions(real)).equals("rwx------")) {
            Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwx------")); // not writable, only readable: private now
        }
        var problems = new ArrayList<IOException>();
        Files.walkFileTree(real, java.util.Set.of(), MAX_DEPTH, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                try {
                    if (!dir.equals(real)) checkDirectory(dir, dir);
                } catch (IOException e) {
                    problems.add(e);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                // A link where zdm expects one of its directories is refused; links to files are refused when opened.
                if (attrs.isSymbolicLink() && Arrays.asList(subdirectories).contains(real.relativize(file).toString())) {
                    problems.add(new UntrustedHomeException(file + " is a symbolic link, not a directory; remove it"
                            + " (zdm never follows links in its home)"));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        if (!problems.isEmpty()) throw problems.getFirst();
        // Only now, in a verified tree (each parent listed before its children): nothing is created through a link.
        for (String sub : subdirectories) {
            Path dir = real.resolve(sub);
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) Files.createDirectory(dir, rwx);
        }
    }

    private static void checkDirectory(Path dir, Path shown) throws IOException {
        var attrs = Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attrs.isDirectory()) {
            throw new UntrustedHomeException(shown + " is not a directory; remove it or set ZDM_HOME to a directory of your own");
        }
        checkOwner(shown, ownerOf(dir), "it");
        var perms = attrs.permissions();
        if (perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                || perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)) {
            throw new UntrustedHomeException(shown + " is writable by " + (perms.contains(
                    java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE) ? "others" : "its group") + " (mode "
                    + PosixFilePermissions.toString(perms) + "), so another user could have planted files in it;"
                    + " run 'chmod go-w " + shown + "' after checking its contents, or set ZDM_HOME to a new directory");
        }
    }

    private static int ownerOf(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    private static void checkOwner(Path shown, int owner, String what) throws UntrustedHomeException {
        int self = Posix.getuid();
        if (owner == self) return;
        throw new UntrustedHomeException(shown + (what.equals("it") ? "" : " (" + what + ")") + " belongs to uid " + owner
                + ", not to uid " + self + " who runs zdm; zdm uses only a home of its own user: set ZDM_HOME to a"
                + " directory you own, or 'chown -R " + self + " " + shown + "' after checking its contents");
    }

    /** A stream appending to {@code file} (created 0600), refusing a symbolic link. */
    public static FileOutputStream append(Path file) throws IOException {
        return withAppendable(file, f -> new FileOutputStream(f, true));
    }

    /** What {@link #withAppendable} does with the file. */
    public interface FileUse<T> {
        T apply(java.io.File file) throws IOException;
    }

    /**
     * Opens {@code file} for appending (created 0600) without following a symbolic link, and hands
     * {@code use} a name for exactly that open file ({@code /proc/self/fd/N}, valid during the call):
     * for the JDK's APIs that take a name (a FileOutputStream, a process's output redirect).
     */
    public static <T> T withAppendable(Path file, FileUse<T> use) throws IOException {
        int fd = NoFollow.open(file, O_WRONLY | O_CREAT | O_APPEND);
        try {
            // Reopening the descriptor through /proc gives the very same file: the kernel resolves that
            // magic link to the open file, not to a name someone could have replaced.
            return use.apply(new java.io.File("/proc/self/fd/" + fd));
        } finally {
            Libc.closeQuietly(fd);
        }
    }

    /** Empties {@code file} if it exists, refusing a symbolic link. */
    public static void truncate(Path file) throws IOException {
        try {
            Libc.closeQuietly(NoFollow.open(file, O_WRONLY | O_TRUNC));
        } catch (java.nio.file.NoSuchFileException e) {
            // nothing to empty
        }
    }

    /** {@code FileChannel.open} that refuses a symbolic link (and creates files 0600 under the daemon's umask). */
    public static FileChannel channel(Path file, OpenOption... options) throws IOException {
        var all = new ArrayList<OpenOption>(List.of(options));
        all.addAll(List.of(NO_LINKS));
        try {
            return FileChannel.open(file, all.toArray(OpenOption[]::new));
        } catch (IOException e) {
            // The JDK reports O_NOFOLLOW's ELOOP as a bare IOException; say what it means.
            if (Files.isSymbolicLink(file)) throw NoFollow.linkRefused(file);
            throw e;
        }
    }

    /** Replaces the content of {@code file} with {@code text}, refusing a symbolic link. */
    public static void writeString(Path file, String text) throws IOException {
        try (var ch = channel(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            var buf = java.nio.ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            while (buf.hasRemaining()) ch.write(buf);
        }
    }
}
