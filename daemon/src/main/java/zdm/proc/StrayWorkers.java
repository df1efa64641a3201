package zdm.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import zdm.sys.Processes;

/**
 * Workers that a previous daemon of this home spawned but never recorded: it was killed (SIGKILL, OOM)
 * between a spawn and the worker's record, so the store, which is how a fresh daemon finds what was
 * left behind ({@code Restore}), does not name them. Seen in the chaos test: a {@code start} SIGKILLed
 * mid-way left a worker running for good beside the fresh ones.
 *
 * <p>Every worker carries its spawn mark ({@link SpawnMarks}), which names the home by a tag and the
 * daemon by its pid. A process of our uid whose mark has this home's tag, is not this daemon's and is
 * not one of the recorded leftovers (nor inherited from one) is a stray: it is stopped with its tree.
 */
public final class StrayWorkers {
    private StrayWorkers() {}

    /** Before the first spawn: the marks of this daemon's workers name {@code home}. */
    public static void markHome(Path home) {
        SpawnMarks.useHome(tagOf(home));
    }

    static String tagOf(Path home) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(home.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The strays now running: the topmost processes of each foreign mark of this home, the marks of
     * {@code recorded} (the leftovers the store names, handled by Restore) excepted.
     */
    public static List<ProcessIdentity> find(Set<Long> recorded) {
        String tag = SpawnMarks.homeTag() + ":";
        Set<String> keep = new HashSet<>();
        for (long pid : recorded) SpawnMarks.markOf(pid).ifPresent(keep::add);
        Map<Long, String> marked = new HashMap<>();
        int uid = Processes.getuid();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) continue;
                long pid = Long.parseLong(name);
                if (pid == self || recorded.contains(pid) || !ownedBy(p, uid)) continue;
                SpawnMarks.markOf(pid)
                        .filter(m -> m.startsWith(tag) && !SpawnMarks.isOurs(m) && !keep.contains(m))
                        .ifPresent(m -> marked.put(pid, m));
            }
        } catch (IOException e) {
            return List.of();
        }
        var roots = new ArrayList<ProcessIdentity>();
        marked.forEach((pid, mark) -> {
            var stat = ProcStat.read(pid);
            boolean parentHasIt = stat.map(s -> mark.equals(marked.get(s.ppid()))).orElse(true);
            if (!parentHasIt) ProcessIdentity.of(pid).ifPresent(roots::add);
        });
        return roots;
    }

    /** Stops each stray's tree (SIGTERM, then SIGKILL after {@code timeout}); returns them. */
    public static List<ProcessIdentity> stop(Set<Long> recorded, Duration timeout) {
        var strays = find(recorded);
        ProcessTree.terminateAll(strays.stream().map(s -> new ProcessTree.Stop(s, Signal.SIGTERM, timeout)).toList());
        return strays;
    }

    private static boolean ownedBy(Path proc, int uid) {
        try {
            return ((Number) Files.getAttribute(proc, "unix:uid")).intValue() == uid;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
