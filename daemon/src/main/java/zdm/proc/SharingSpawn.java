package zdm.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts a {@code listen: socket} worker: the app's listening socket becomes the worker's fd 3 and the
 * worker is told so with systemd's socket-activation variables ({@code LISTEN_FDS=1},
 * {@code LISTEN_PID}=its own pid, {@code LISTEN_FDNAMES}=the app name). Spawned with
 * {@link PosixSpawn} (the JDK cannot pass a descriptor), in its own session, output appended to its
 * capture files as for every worker.
 *
 * <p>LISTEN_PID must be the worker's own pid, which is only known once it runs. So the program is
 * exec'd through a fixed shim: {@code /bin/sh -c 'LISTEN_PID=$$; export LISTEN_PID; exec "$0" "$@"' program args...}.
 * The shell parses only that constant script; the program and its arguments arrive as positional
 * parameters and {@code "$0" "$@"} hands them to exec verbatim (no word splitting, no globbing, no
 * expansion of their contents). {@code exec} replaces the shell in place, so {@code $$} is the pid
 * of the program itself and no shell stays around. This is not "running through a shell" in the
 * {@code shell: true} sense: no text of the user is ever interpreted.
 *
 * <p>The one owner of the child's exit is a platform thread per worker blocked in waitpid(pid) (a
 * native call would pin a virtual thread's carrier). Thread-safe: stateless.
 */
public final class SharingSpawn {
    static final String SHIM = "LISTEN_PID=$$; export LISTEN_PID; exec \"$0\" \"$@\"";
    private static final String PLAIN_SHIM = "exec \"$0\" \"$@\"";
    private static final Path SH = Path.of("/bin/sh");
    /** Inherited from whoever started the daemon (systemd may have): never meant for our workers. */
    private static final List<String> NOT_INHERITED = List.of("LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "NOTIFY_SOCKET",
            "WATCHDOG_USEC", "WATCHDOG_PID");

    private SharingSpawn() {}

    public static WorkerProcess spawn(SpawnSpec spec, LogSink sink, OutputCapture capture, int listenFd) throws IOException {
        return spawn(spec, sink, capture, listenFd, 3);
    }

    /**
     * {@code passAs} 0 hands the socket as stdin instead (systemd's StandardInput=socket, inetd): what
     * Java's System.inheritedChannel() finds. No LISTEN_* variables then: they would announce a fd 3 that is not there.
     */
    public static WorkerProcess spawn(SpawnSpec spec, LogSink sink, OutputCapture capture, int listenFd, int passAs)
            throws IOException {
        String key = "apps[" + spec.app() + "]";
        if (spec.command().isEmpty()) throw new IOException(key + ".command is empty: give the program to run");
        if (capture == null) throw new IOException("listen: socket needs the daemon's capture directory (" + key + ".listen)");
        String program = spec.command().getFirst();
        if (spec.cwd() != null && !Files.isDirectory(spec.cwd())) {
            throw new IOException("cannot run '" + program + "': working directory " + spec.cwd()
                    + " does not exist (" + key + ".cwd)");
        }
        Map<String, String> env = new TreeMap<>(System.getenv());
        NOT_INHERITED.forEach(env::remove);
        env.putAll(spec.env());
        if (passAs == 3) {
            env.put("LISTEN_FDS", "1");
            env.put("LISTEN_FDNAMES", spec.app());
        }
        String mark = SpawnMarks.next();
        env.put(SpawnMarks.VARIABLE, mark);
        Path resolved = ProgramResolver.resolve(program, spec.cwd(), env, key + ".command");

        List<String> argv = new ArrayList<>(List.of(SH.toString(), "-c", passAs == 3 ? SHIM : PLAIN_SHIM, resolved.toString()));
        argv.addAll(spec.command().subList(1, spec.command().size()));
        List<String> envp = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();

        var files = capture.create(spec.app(), spec.workerId());
        long spawned = -1;
        ChildReaper.spawnBegins(); // our waiter below owns this child's exit: an orphan reaper must leave it alone
        try {
            spawned = PosixSpawn.spawn(new PosixSpawn.Request(SH, argv, envp, spec.cwd(), files.out(), files.err(), listenFd, passAs));
        } catch (IOException | RuntimeException e) {
            capture.finish(files);
            throw new IOException("cannot run '" + program + "': " + e.getMessage() + " (" + key + ".command)");
        } finally {
            ChildReaper.spawnEnds(spawned);
        }
        long pid = spawned;
        // Not reaped before the waiter below starts, so the identity is always readable here.
        var identity = ProcessIdentity.ofEvenIfZombie(pid).orElse(new ProcessIdentity(pid, -1));
        SpawnMarks.bind(identity, mark);
        capture.attach(files, spec.app(), spec.workerId(), sink);
        var exit = new CompletableFuture<ExitStatus>();
        Thread.ofPlatform().daemon().name("zdm-wait-" + spec.app() + "-" + spec.workerId() + "-" + pid)
                .stackSize(256 * 1024).start(() -> {
                    try {
                        var status = PosixSpawn.waitFor(pid);
                        ChildReaper.reapedByJdk(pid); // reaped by our waitpid, the same as the JDK's
                        SpawnMarks.exited(identity);
                        capture.drain(files); // its last lines are delivered before its exit is reported
                        exit.complete(status);
                    } catch (RuntimeException e) {
                        exit.completeExceptionally(e);
                    }
                });
        exit.whenComplete((s, e) -> CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> capture.finish(files)));
        return WorkerProcess.ofSharedSpawn(pid, identity, exit);
    }
}
