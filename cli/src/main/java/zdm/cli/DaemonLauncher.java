package zdm.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import zdm.proc.PrivateHome;
import zdm.protocol.Paths;
import zdm.protocol.Response;

/**
 * Starts a detached daemon ({@code setsid java ... zdm.cli.Main daemon}) with the classpath of this
 * JVM, its output appended to daemon.log, and waits until it answers a ping. Stateless and
 * thread-safe; two CLIs racing to start a daemon are fine because the daemon's lock lets only one
 * survive, and both then reach it.
 */
public final class DaemonLauncher implements DaemonStarter {
    static final Duration START_DEADLINE = Duration.ofSeconds(15);
    private static final long POLL_MILLIS = 50;
    /**
     * The system property through which bin/zdm names the daemon's class archive (an AOT cache made
     * by {@link DaemonTraining}) when it is fresh for this JDK and these jars; unset, the daemon starts
     * without one.
     */
    static final String CACHE_PROPERTY = "zdm.daemonCache";

    private final List<String> extraFlags;

    /** The launcher of the CLI: the daemon's archive when bin/zdm named one. */
    public DaemonLauncher() {
        this(cacheFlags(System.getProperty(CACHE_PROPERTY)));
    }

    /** A launcher whose daemons get {@code extraFlags} after {@link #JVM_FLAGS} (the training's). */
    DaemonLauncher(List<String> extraFlags) {
        this.extraFlags = List.copyOf(extraFlags);
    }

    @Override
    public Response.Pong start(Paths paths) throws CliException {
        secureHome(paths);
        long logOffset = sizeOf(paths.daemonLog());
        Process process = spawn(paths, command(extraFlags));
        var client = new DaemonClient(paths, NEVER, new PrintWriter(Writer.nullWriter()));
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (true) {
            Optional<Response.Pong> pong = client.ping();
            if (pong.isPresent()) return pong.get();
            // Our daemon may have lost a start race to another CLI's: while some process holds the
            // home's lock, a daemon is alive (perhaps still restoring apps), so keep polling for it.
            if (!process.isAlive() && process.exitValue() != 0 && !lockHeld(paths)) {
                throw failure(paths, logOffset, "the daemon exited with code " + process.exitValue() + " while starting");
            }
            if (System.nanoTime() - deadline > 0) {
                throw failure(paths, logOffset, "the daemon did not answer within " + START_DEADLINE.toSeconds() + "s");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCodes.INTERRUPTED, "interrupted while starting the daemon");
            }
        }
    }

    /** The daemon's JVM flags, from bin/lib/launch.conf (where each is explained), as bin/zdm uses them. */
    static final List<String> JVM_FLAGS = LaunchConf.DAEMON_FLAGS;

    /**
     * {@code -XX:AOTCache=} the archive bin/zdm named, if any and if it is still there (a rebuild may have
     * removed it). The archive holds no profiles ({@link #trainingFlags}), so the JVM's thread that would
     * replay them is not started either (bin/zdm's {@code zdm daemon} passes the same flags).
     */
    static List<String> cacheFlags(String cache) {
        if (cache == null || cache.isEmpty() || !Files.isRegularFile(Path.of(cache))) return List.of();
        return List.of("-XX:AOTCache=" + cache, "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTReplayTraining");
    }

    /**
     * The throwaway daemon of {@link AotTraining} that writes the archive: classes only, no method
     * profiles (a daemon has the time to warm up; without them the archive is smaller).
     */
    static List<String> trainingFlags(Path archive) {
        return List.of("-XX:AOTCacheOutput=" + archive, "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTRecordTraining");
    }

    /** The command line of the daemon: same java, same classpath, {@link #JVM_FLAGS}, then {@code extraFlags}. */
    static List<String> command(List<String> extraFlags) {
        var cmd = new ArrayList<String>();
        setsid().ifPresent(cmd::add); // own session: a Ctrl-C in the user's terminal must not reach it
        cmd.add(javaBinary());
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(extraFlags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), Main.DAEMON));
        return cmd;
    }

    private static Process spawn(Paths paths, List<String> command) throws CliException {
        var pb = new ProcessBuilder(command)
                .directory(paths.home().toFile())
                .redirectInput(new File("/dev/null"))
                .redirectErrorStream(true);
        // The daemon must serve the home this CLI uses, even when that came from a test, not the env.
        pb.environment().put("ZDM_HOME", paths.home().toString());
        // A daemon the CLI starts is not systemd's service, even if this CLI runs inside one.
        pb.environment().remove("NOTIFY_SOCKET");
        try {
            // daemon.log is opened here without following a link (created 0600: it may name apps, paths and errors).
            return PrivateHome.withAppendable(paths.daemonLog(),
                    log -> pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start());
        } catch (IOException e) {
            throw new CliException(ExitCodes.DAEMON, "cannot start the daemon (" + String.join(" ", pb.command())
                    + "): " + e.getMessage(), List.of(), e);
        }
    }

    /**
     * The home must be the user's own before anything is written in it, the daemon's log included (the
     * daemon checks again, for {@code zdm daemon} run by hand). Wider modes on an older daemon.log are
     * tightened to 0600.
     */
    private static void secureHome(Paths paths) throws CliException {
        try {
            PrivateHome.secure(paths.home());
            var log = paths.daemonLog();
            var owner = PosixFilePermissions.fromString("rw-------");
            if (Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS) && !Files.getPosixFilePermissions(log, LinkOption.NOFOLLOW_LINKS).equals(owner)) {
                Files.setPosixFilePermissions(log, owner);
            }
        } catch (PrivateHome.UntrustedHomeException e) {
            throw new CliException(ExitCodes.DAEMON, e.getMessage(), List.of(), e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.DAEMON, "cannot prepare the zdm home " + paths.home() + ": " + e.getMessage()
                    + "; set ZDM_HOME to a writable directory", List.of(), e);
        }
    }

    private static CliException failure(Paths paths, long logOffset, String what) {
        String last = lastLine(paths.daemonLog(), logOffset);
        return new CliException(ExitCodes.DAEMON, what + (last.isEmpty() ? "" : ": " + last)
                + " (see " + paths.daemonLog() + ")");
    }

    /** The last non-blank line the daemon wrote after {@code offset} (at most the last 8 KiB), or "". */
    static String lastLine(Path log, long offset) {
        try (var file = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.max(offset, file.length() - 8192);
            if (from >= file.length()) return "";
            var bytes = new byte[(int) (file.length() - from)];
            file.seek(from);
            file.readFully(bytes);
            var lines = new String(bytes, StandardCharsets.UTF_8).strip().split("\n");
            return lines[lines.length - 1].strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** True if another process holds the home's daemon lock (an OS lock: it dies with its holder). */
    static boolean lockHeld(Paths paths) {
        if (!Files.exists(paths.lock())) return false;
        try (var ch = PrivateHome.channel(paths.lock(), java.nio.file.StandardOpenOption.WRITE);
             var lock = ch.tryLock()) {
            return lock == null;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static Optional<String> setsid() {
        return Stream.of("/usr/bin/setsid", "/bin/setsid")
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst();
    }
}
