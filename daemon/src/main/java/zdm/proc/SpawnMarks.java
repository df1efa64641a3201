package zdm.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The environment marker that ties a worker's descendants to it: every worker is started with
 * {@code ZDM_SPAWN_ID=<daemon pid>-<n>}, unique per spawn, which its children inherit. A descendant
 * that left the worker's session and lost its parent (a double fork, a {@code setsid} daemon) is
 * re-parented to the daemon (a child subreaper) and has nothing else left that names its worker:
 * {@link ProcessTree} finds it among the daemon's children by this variable in /proc/PID/environ.
 * A process that clears its environment before daemonizing is not found this way.
 *
 * <p>A worker's mark is kept until {@link ProcessTree#terminate} has ended its tree after its exit
 * (a stop, or the cleanup of what a crashed worker left behind, which the supervisor does right after
 * the exit), and at most {@link #KEEP_AFTER_EXIT} after its exit (a reload of 1,000 workers would
 * otherwise hold 1,000 marks for that long). Thread-safe.
 */
final class SpawnMarks {
    static final String VARIABLE = "ZDM_SPAWN_ID";
    private static final long KEEP_AFTER_EXIT = TimeUnit.MINUTES.toNanos(1);
    /** "HOMETAG:PID-": a daemon of another home never shares it, one of this home always shares HOMETAG (StrayWorkers). */
    private static volatile String homeTag = "-";
    private static volatile String prefix = homeTag + ":" + ProcessHandle.current().pid() + "-";
    private static final AtomicLong next = new AtomicLong();

    private record Mark(String value, long exitedAtNanos) {}

    private static final Map<ProcessIdentity, Mark> byRoot = new ConcurrentHashMap<>();

    private SpawnMarks() {}

    /** A fresh value for the next spawn. */
    static String next() {
        return prefix + next.incrementAndGet();
    }

    /** Marks name the daemon's home from now on (before the first spawn). */
    static void useHome(String tag) {
        homeTag = tag;
        prefix = tag + ":" + ProcessHandle.current().pid() + "-";
    }

    static String homeTag() {
        return homeTag;
    }

    /** Whether {@code mark} was given by this daemon (not by an earlier one of the same home). */
    static boolean isOurs(String mark) {
        return mark.startsWith(prefix);
    }

    /** The mark in process {@code pid}'s environment, if it carries one (empty if unreadable or gone). */
    static Optional<String> markOf(long pid) {
        try {
            byte[] env = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
            byte[] key = (VARIABLE + "=").getBytes(StandardCharsets.UTF_8);
            for (int start = 0; start < env.length; ) {
                int end = start;
                while (end < env.length && env[end] != 0) end++;
                if (end - start > key.length && java.util.Arrays.equals(env, start, start + key.length, key, 0, key.length)) {
                    return Optional.of(new String(env, start + key.length, end - start - key.length, StandardCharsets.UTF_8));
                }
                start = end + 1;
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code root} was started with {@code mark}. */
    static void bind(ProcessIdentity root, String mark) {
        long now = System.nanoTime();
        // Old marks go at most once a second: a pass at every spawn made a start of 1,000 workers look at
        // half a million marks. A mark is then kept up to a second longer, which finds nothing more.
        long last = lastPruneNanos;
        if (now - last >= PRUNE_EVERY) {
            lastPruneNanos = now;
            byRoot.values().removeIf(m -> m.exitedAtNanos != 0 && now - m.exitedAtNanos > KEEP_AFTER_EXIT);
        }
        byRoot.put(root, new Mark(mark, 0));
    }

    private static final long PRUNE_EVERY = TimeUnit.SECONDS.toNanos(1);
    private static volatile long lastPruneNanos = System.nanoTime() - PRUNE_EVERY;

    /** The worker was reaped: its mark is forgotten a minute from now. */
    static void exited(ProcessIdentity root) {
        long now = System.nanoTime();
        byRoot.computeIfPresent(root, (id, m) -> new Mark(m.value, now));
    }

    /** The worker's tree was stopped after its exit: nothing is left for its mark to find. */
    static void forget(ProcessIdentity root) {
        byRoot.remove(root);
    }

    /** For tests: how many marks are kept. */
    static int kept() {
        return byRoot.size();
    }

    static Optional<String> of(ProcessIdentity root) {
        return Optional.ofNullable(byRoot.get(root)).map(Mark::value);
    }

    /** Whether process {@code pid}'s environment holds {@code VARIABLE=mark} (false if unreadable or gone). */
    static boolean carries(long pid, String mark) {
        return markOf(pid).filter(mark::equals).isPresent();
    }
}
