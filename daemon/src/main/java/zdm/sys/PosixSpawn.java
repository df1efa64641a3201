package zdm.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;

import static zdm.sys.Libc.strerror;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static zdm.sys.NoFollow.O_APPEND;
import static zdm.sys.NoFollow.O_CREAT;
import static zdm.sys.NoFollow.O_NOFOLLOW;
import static zdm.sys.NoFollow.O_RDONLY;
import static zdm.sys.NoFollow.O_WRONLY;

/**
 * posix_spawn(3) through FFM, for the one thing the JDK cannot do: hand a descriptor to a child. The
 * child gets stdin from /dev/null, stdout and stderr appended to the given files, {@code passFd} as
 * its fd 3 (dup2 onto 3 clears close-on-exec on the copy; the original keeps it), or as its stdin
 * (fd 0) instead of /dev/null when {@code passAs} is 0, every other
 * descriptor closed ({@code closefrom_np(4)} where glibc has it; the JDK opens its own with
 * O_CLOEXEC anyway), a new session ({@code POSIX_SPAWN_SETSID}, glibc 2.26+), an empty signal mask
 * and default signal dispositions (the JVM's calling thread may block or ignore some).
 *
 * <p>posix_spawn is safe in a multithreaded JVM: glibc uses clone(CLONE_VM|CLONE_VFORK) and runs
 * only async-signal-safe steps before exec. The caller owns the child: it must reap it
 * ({@link Children#waitFor}). Thread-safe: stateless.
 */
@SuppressWarnings("restricted")
public final class PosixSpawn {
    // glibc x86_64/aarch64: posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336; over-allocated.
    private static final long FILE_ACTIONS_SIZE = 256;
    private static final long ATTR_SIZE = 1024;
    private static final long SIGSET_SIZE = 128;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;

    private static final MethodHandle FA_INIT = Libc.function("posix_spawn_file_actions_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FA_DESTROY = Libc.function("posix_spawn_file_actions_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FA_OPEN = Libc.function("posix_spawn_file_actions_addopen",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle FA_DUP2 = Libc.function("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle FA_CHDIR = Libc.function("posix_spawn_file_actions_addchdir_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    /** glibc 2.34+; without it the JDK's O_CLOEXEC descriptors close on exec anyway. */
    private static final MethodHandle FA_CLOSEFROM = Libc.optional("posix_spawn_file_actions_addclosefrom_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle ATTR_INIT = Libc.function("posix_spawnattr_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ATTR_DESTROY = Libc.function("posix_spawnattr_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ATTR_FLAGS = Libc.function("posix_spawnattr_setflags",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    private static final MethodHandle ATTR_SIGMASK = Libc.function("posix_spawnattr_setsigmask", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle ATTR_SIGDEF = Libc.function("posix_spawnattr_setsigdefault", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SIGEMPTYSET = Libc.function("sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SIGFILLSET = Libc.function("sigfillset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SPAWN = Libc.function("posix_spawn",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));

    private PosixSpawn() {}

    /**
     * What to start. {@code program} must be an absolute path (no PATH search happens here);
     * {@code env} is the complete environment as "NAME=value" entries.
     */
    public record Request(Path program, List<String> argv, List<String> env, Path cwd, Path stdout, Path stderr,
                          int passFd, int passAs) {
        /** {@code passFd} becomes the child's fd 3 (systemd's LISTEN_FDS convention). */
        public Request(Path program, List<String> argv, List<String> env, Path cwd, Path stdout, Path stderr, int passFd) {
            this(program, argv, env, cwd, stdout, stderr, passFd, 3);
        }
    }

    /** Starts the child and returns its pid; the message of a failure is posix_spawn's error text. */
    public static long spawn(Request r) throws java.io.IOException {
        if (r.passFd() >= 0 && r.passFd() <= 3) throw new IllegalArgumentException("fd to pass must be above 3: " + r.passFd());
        if (r.passAs() != 3 && r.passAs() != 0) throw new IllegalArgumentException("fd can be passed as 3 or 0: " + r.passAs());
        boolean asStdin = r.passFd() > 3 && r.passAs() == 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fa = arena.allocate(FILE_ACTIONS_SIZE, 16);
            MemorySegment attr = arena.allocate(ATTR_SIZE, 16);
            check((int) FA_INIT.invokeExact(fa), "posix_spawn_file_actions_init");
            check((int) ATTR_INIT.invokeExact(attr), "posix_spawnattr_init");
            try {
                if (r.cwd() != null) check((int) FA_CHDIR.invokeExact(fa, arena.allocateFrom(r.cwd().toString())), "addchdir");
                if (asStdin) {
                    check((int) FA_DUP2.invokeExact(fa, r.passFd(), 0), "adddup2 stdin");   // inetd style: the socket is stdin
                } else {
                    check((int) FA_OPEN.invokeExact(fa, 0, arena.allocateFrom("/dev/null"), O_RDONLY, 0), "addopen stdin");
                }
                check((int) FA_OPEN.invokeExact(fa, 1, arena.allocateFrom(r.stdout().toString()),
                        O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0600), "addopen stdout");
                check((int) FA_OPEN.invokeExact(fa, 2, arena.allocateFrom(r.stderr().toString()),
                        O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0600), "addopen stderr");
                if (r.passFd() > 3 && !asStdin) check((int) FA_DUP2.invokeExact(fa, r.passFd(), 3), "adddup2");
                if (FA_CLOSEFROM != null) {
                    check((int) FA_CLOSEFROM.invokeExact(fa, r.passFd() > 3 && !asStdin ? 4 : 3), "addclosefrom");
                }

                MemorySegment empty = arena.allocate(SIGSET_SIZE, 8);
                MemorySegment all = arena.allocate(SIGSET_SIZE, 8);
                check((int) SIGEMPTYSET.invokeExact(empty), "sigemptyset");
                check((int) SIGFILLSET.invokeExact(all), "sigfillset");
                check((int) ATTR_SIGMASK.invokeExact(attr, empty), "setsigmask");
                check((int) ATTR_SIGDEF.invokeExact(attr, all), "setsigdefault");
                check((int) ATTR_FLAGS.invokeExact(attr, (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK
                        | POSIX_SPAWN_SETSIGDEF)), "setflags");

                MemorySegment pid = arena.allocate(JAVA_INT);
                int err = (int) SPAWN.invokeExact(pid, arena.allocateFrom(r.program().toString()), fa, attr,
                        strings(arena, r.argv()), strings(arena, r.env()));
                if (err != 0) throw new java.io.IOException(strerror(err));
                return pid.get(JAVA_INT, 0);
            } finally {
                int a = (int) FA_DESTROY.invokeExact(fa);
                int b = (int) ATTR_DESTROY.invokeExact(attr);
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }

    private static void check(int result, String what) {
        if (result != 0) throw new IllegalStateException(what + " failed: " + strerror(result));
    }
}
