package zdm.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import zdm.sys.PosixSpawn;

/**
 * How the daemon starts every worker (both listen modes): {@link PosixSpawn} in a session of its own,
 * stdout and stderr appended to its capture files ({@link OutputCapture}), its spawn mark in the
 * environment ({@link SpawnMarks}), and its exit reaped by {@link ChildExits}: no JDK Process, so no
 * reaper thread per worker. Stateless; thread-safe.
 */
final class CapturedSpawn {
    /** Inherited from whoever started the daemon (systemd may have): never meant for our workers. */
    private static final List<String> NOT_INHERITED = List.of("LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "NOTIFY_SOCKET",
            "WATCHDOG_USEC", "WATCHDOG_PID");

    private CapturedSpawn() {}

    /**
     * The daemon's environment minus what belongs to the daemon alone, plus the app's (an app that wants
     * a NOTIFY_SOCKET gets its own through {@code spec.env()}).
     */
    static Map<String, String> environment(SpawnSpec spec) {
        Map<String, String> env = new TreeMap<>(INHERITED);   // a sorted map's copy is linear
        env.putAll(spec.env());
        return env;
    }

    /** The daemon's environment minus {@link #NOT_INHERITED}, sorted once: a JVM's environment never changes. */
    private static final SortedMap<String, String> INHERITED = inherited();

    private static SortedMap<String, String> inherited() {
        var env = new TreeMap<>(System.getenv());
        NOT_INHERITED.forEach(env::remove);
        return java.util.Collections.unmodifiableSortedMap(env);
    }

    /**
     * Starts {@code program} with {@code argv} (argv[0] included) and {@code env}, passing {@code passFd}
     * (above 3, else -1) as fd {@code passAs} (3, or 0: see {@link PosixSpawn.Request}). The IOException
     * is one line naming the config key.
     */
    static WorkerProcess start(SpawnSpec spec, LogSink sink, OutputCapture capture, Path program, List<String> argv,
                               Map<String, String> env, int passFd, int passAs) throws IOException {
        String mark = SpawnMarks.next();
        env.put(SpawnMarks.VARIABLE, mark);
        List<String> envp = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        var files = capture.create(spec.app(), spec.workerId());
        long spawned = -1;
        ChildReaper.spawnBegins();   // registered until ChildExits reaped it: an orphan round leaves it alone
        try {
            spawned = PosixSpawn.spawn(new PosixSpawn.Request(program, argv, envp, spec.cwd(), files.out(), files.err(),
                    passFd, passAs));
        } catch (IOException | RuntimeException e) {
            capture.finish(files);
            throw new IOException("cannot run '" + spec.command().getFirst() + "': " + e.getMessage()
                    + " (apps[" + spec.app() + "].command)");
        } finally {
            ChildReaper.spawnEnds(spawned);
        }
        long pid = spawned;
        // Nobody reaps it before watch() below, so its identity is always readable here.
        var identity = ProcessIdentity.ofEvenIfZombie(pid).orElse(new ProcessIdentity(pid, -1));
        SpawnMarks.bind(identity, mark);
        capture.attach(files, spec.app(), spec.workerId(), sink);
        CompletableFuture<ExitStatus> exit = ChildExits.watch(pid).thenApply(status -> {
            SpawnMarks.exited(identity);
            capture.drain(files);   // its last lines are delivered before its exit is reported
            return status;
        });
        // After the exit, the rest of the output (and an unterminated last line) is delivered; the
        // second of grace lets children that die with the worker write their last lines too.
        exit.whenComplete((s, e) -> CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> capture.finish(files)));
        return WorkerProcess.of(pid, identity, exit);
    }
}
