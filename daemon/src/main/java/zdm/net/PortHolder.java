package zdm.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who listens on a TCP port, for the message of a failed bind ("in use by nginx (pid 812)"): the
 * listening sockets of /proc/net/tcp and tcp6 give the socket inodes, and the process whose
 * /proc/PID/fd links to {@code socket:[inode]} holds it. Best effort: another user's processes are
 * not readable unless the daemon runs as root, and then the answer is empty. Stateless.
 */
public final class PortHolder {
    private static final String LISTEN = "0A";

    private PortHolder() {}

    /**
     * The one-line message of a failed bind of an app's public port: who holds it when it is in use ({@code inUse}),
     * else {@code why} the bind failed.
     */
    static String bindFailure(String app, int port, boolean inUse, String why) {
        if (inUse) {
            return "port " + port + " is already in use by " + describe(port).orElse("another process")
                    + "; choose another port: for app " + app;
        }
        return "cannot listen on port " + port + " (" + why + "); choose another port: for app " + app;
    }

    /** "name (pid N)" of a process listening on {@code port}, if one can be seen. */
    public static Optional<String> describe(int port) {
        Set<String> inodes = new HashSet<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try {
                for (String line : Files.readAllLines(Path.of(table)).stream().skip(1).toList()) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 10 || !LISTEN.equals(f[3])) continue;
                    String local = f[1];
                    int localPort = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
                    if (localPort == port) inodes.add(f[9]);
                }
            } catch (IOException | RuntimeException e) {
                // no such table (no IPv6) or an unexpected line: look at the other one
            }
        }
        if (inodes.isEmpty()) return Optional.empty();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : (Iterable<Path>) procs::iterator) {
                String pid = proc.getFileName().toString();
                if (!pid.chars().allMatch(Character::isDigit) || pid.equals(Long.toString(ProcessHandle.current().pid()))) continue;
                if (holds(proc, inodes)) return Optional.of(name(proc) + " (pid " + pid + ")");
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean holds(Path proc, Set<String> inodes) {
        try (var fds = Files.list(proc.resolve("fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) return true;
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            // not ours to read, or gone
        }
        return false;
    }

    private static String name(Path proc) {
        try {
            return Files.readString(proc.resolve("comm")).trim();
        } catch (IOException e) {
            return "a process";
        }
    }
}
