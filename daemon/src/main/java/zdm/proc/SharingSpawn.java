package zdm.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import zdm.sys.PosixSpawn;

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
 * <p>The spawn itself, the capture files and the reaping are {@link CapturedSpawn}'s, as for every
 * worker. Thread-safe: stateless.
 */
public final class SharingSpawn {
    static final String SHIM = "LISTEN_PID=$$; export LISTEN_PID; exec \"$0\" \"$@\"";
    private static final String PLAIN_SHIM = "exec \"$0\" \"$@\"";
    private static final Path SH = Path.of("/bin/sh");

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
        Map<String, String> env = CapturedSpawn.environment(spec);
        if (passAs == 3) {
            env.put("LISTEN_FDS", "1");
            env.put("LISTEN_FDNAMES", spec.app());
        }
        Path resolved = ProgramResolver.resolve(program, spec.cwd(), env, key + ".command");

        List<String> argv = new ArrayList<>(List.of(SH.toString(), "-c", passAs == 3 ? SHIM : PLAIN_SHIM, resolved.toString()));
        argv.addAll(spec.command().subList(1, spec.command().size()));
        return CapturedSpawn.start(spec, sink, capture, SH, argv, env, listenFd, passAs);
    }
}
