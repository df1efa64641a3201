package zdm.proc;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A running worker process, started in its own session and process group (pgid == pid) so its whole
 * tree can be signalled with {@link ProcessTree#terminate}.
 *
 * <p>The daemon's workers write to capture files ({@link OutputCapture}) and are started by
 * {@link CapturedSpawn}: posix_spawn with POSIX_SPAWN_SETSID, the exit reaped by {@link ChildExits}
 * (one thread for every worker). Without a capture (tests, tools) the worker gets pipes through the
 * JDK's ProcessBuilder, which reaps on a thread per process: the JDK cannot call setsid(2) between
 * fork and exec, so the program is run through {@code /usr/bin/setsid} (util-linux), which calls
 * setsid(2) and exec's the program in place (same pid); if it is missing the program runs in the
 * daemon's group and ProcessTree reaches only the descendants it can see. stdin is /dev/null; piped
 * stdout and stderr are pumped line by line to the {@link LogSink} by two virtual threads that end at
 * EOF. Thread-safe: immutable after spawn.
 */
public final class WorkerProcess {
    static final Path SETSID = Path.of("/usr/bin/setsid");

    private final long pid;
    private final ProcessIdentity identity;
    private final CompletableFuture<ExitStatus> exit;
    private final CompletableFuture<Void> pumpsDone;

    private WorkerProcess(Process process, ProcessIdentity identity, CompletableFuture<Void> pumpsDone) {
        // Process.onExit completes once the JVM has reaped the child, independent of the pipes
        // (which grandchildren may keep open).
        this(process.pid(), identity, process.onExit().thenApply(p -> ExitStatus.fromExitValue(p.exitValue())), pumpsDone);
    }

    private WorkerProcess(long pid, ProcessIdentity identity, CompletableFuture<ExitStatus> exit, CompletableFuture<Void> pumpsDone) {
        this.pid = pid;
        this.identity = identity;
        this.exit = exit;
        this.pumpsDone = pumpsDone;
    }

    /**
     * Starts the worker. The IOException message is one line naming the config key, e.g.
     * "cannot run 'nodee': not found on PATH (apps[web].command)".
     */
    public static WorkerProcess spawn(SpawnSpec spec, LogSink sink) throws IOException {
        return spawn(spec, sink, null);
    }

    /**
     * Starts the worker with its output going to capture files (see {@link OutputCapture}) instead
     * of pipes, when {@code capture} is given: then the worker never depends on the daemon to write.
     */
    public static WorkerProcess spawn(SpawnSpec spec, LogSink sink, OutputCapture capture) throws IOException {
        String key = "apps[" + spec.app() + "]";
        if (spec.command().isEmpty()) throw new IOException(key + ".command is empty: give the program to run");
        String program = spec.command().getFirst();
        if (spec.cwd() != null && !Files.isDirectory(spec.cwd())) {
            throw new IOException("cannot run '" + program + "': working directory " + spec.cwd()
                    + " does not exist (" + key + ".cwd)");
        }
        if (capture != null) {
            Map<String, String> env = CapturedSpawn.environment(spec);
            Path resolved = ProgramResolver.resolve(program, spec.cwd(), env, key + ".command");
            List<String> argv = new ArrayList<>(spec.command());
            argv.set(0, resolved.toString());
            return CapturedSpawn.start(spec, sink, capture, resolved, argv, env, -1, 3);
        }
        // Pipes (tests and tools; the daemon always captures to files): through the JDK's Process,
        // which reaps on a thread of its own.
        var pb = new ProcessBuilder();
        pb.environment().remove("NOTIFY_SOCKET");
        pb.environment().remove("WATCHDOG_USEC");
        pb.environment().remove("WATCHDOG_PID");
        pb.environment().putAll(spec.env());
        String mark = SpawnMarks.next();
        pb.environment().put(SpawnMarks.VARIABLE, mark);
        Path resolved = ProgramResolver.resolve(program, spec.cwd(), pb.environment(), key + ".command");

        List<String> argv = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            argv.add(SETSID.toString());
            argv.add("--");
        }
        argv.add(resolved.toString());
        argv.addAll(spec.command().subList(1, spec.command().size()));
        pb.command(argv);
        if (spec.cwd() != null) pb.directory(spec.cwd().toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));

        Process process;
        long startedPid = -1;
        ChildReaper.spawnBegins();   // so an orphan reaper never mistakes this child for an orphan
        try {
            process = pb.start();
            startedPid = process.pid();
        } catch (IOException e) {
            throw new IOException("cannot run '" + program + "': " + oneLine(e) + " (" + key + ".command)");
        } finally {
            ChildReaper.spawnEnds(startedPid);
        }
        long pid = startedPid;
        process.onExit().thenRun(() -> ChildReaper.reaped(pid));
        ProcessIdentity identity = ProcessIdentity.ofEvenIfZombie(process.pid())
                // exited and reaped already: an identity that can never match a live process
                .orElse(new ProcessIdentity(process.pid(), -1));
        SpawnMarks.bind(identity, mark);
        process.onExit().thenRun(() -> SpawnMarks.exited(identity));
        String name = spec.app() + "-" + spec.workerId();
        var out = pump(name + "-out", process.getInputStream(), text -> sink.line(spec.app(), spec.workerId(), false, text));
        var err = pump(name + "-err", process.getErrorStream(), text -> sink.line(spec.app(), spec.workerId(), true, text));
        return new WorkerProcess(process, identity, CompletableFuture.allOf(out, err));
    }

    public long pid() {
        return pid;
    }

    public ProcessIdentity identity() {
        return identity;
    }

    /** Completes once, after the process is reaped. Each call returns a new dependent future. */
    public CompletableFuture<ExitStatus> onExit() {
        return exit.copy();
    }

    /** Completes when both output pumps have reached EOF (for tests: pumps must not outlive the pipes). */
    CompletableFuture<Void> pumpsDone() {
        return pumpsDone.copy();
    }

    /** A worker started by {@link CapturedSpawn}, whose exit {@link ChildExits} reports. */
    static WorkerProcess of(long pid, ProcessIdentity identity, CompletableFuture<ExitStatus> exit) {
        return new WorkerProcess(pid, identity, exit, CompletableFuture.completedFuture(null));
    }

    private static CompletableFuture<Void> pump(String name, InputStream in, java.util.function.Consumer<String> lines) {
        var done = new CompletableFuture<Void>();
        Thread.ofVirtual().name("zdm-pump-" + name).start(() -> {
            try {
                new LinePump(in, lines).run();
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    private static String oneLine(IOException e) {
        String m = String.valueOf(e.getMessage());
        // The JDK says "Cannot run program \"x\" (in directory \"y\"): error=13, Permission denied"
        int i = m.lastIndexOf("error=");
        if (i >= 0) m = m.substring(i);
        return m.replace('\n', ' ');
    }
}
