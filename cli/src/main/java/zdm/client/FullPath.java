package zdm.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The full CLI for a command the fast client could not have run by the daemon (no daemon yet, one of
 * another build, {@code ls -w}): bin/zdm again ({@code ZDM_LAUNCHER}, which it exports), told by
 * {@value #MARK}=1 to take the full path, which it removes from the environment before the JVM
 * starts, so that no command passes it on. The child shares this process's terminal, streams and
 * process group (Ctrl-C reaches both); a SIGTERM or SIGHUP to this process is passed on to it, and
 * its exit code is this process's.
 */
final class FullPath {
    /** The environment variable that tells bin/zdm to take the full path (and which it unsets). */
    static final String MARK = "ZDM_FULL_PATH";

    private FullPath() {}

    static int run(String[] args, PrintWriter err) {
        String launcher = System.getenv("ZDM_LAUNCHER");
        if (launcher == null || launcher.isEmpty()) {
            err.println("zdm: the full CLI is needed for this command, but ZDM_LAUNCHER (bin/zdm's path, which it exports) is not set;"
                    + " run zdm through bin/zdm");
            err.flush();
            return ExitCodes.FAILED;
        }
        List<String> command = new ArrayList<>(List.of(launcher));
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command).inheritIO();
        pb.environment().put(MARK, "1");
        try {
            Process child = pb.start();
            Thread stop = new Thread(() -> stop(child));
            Runtime.getRuntime().addShutdownHook(stop);
            int code = child.waitFor();
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException ending) {
                // a signal arrived as the child ended: the hook stops nothing now
            }
            return code;
        } catch (IOException e) {
            err.println("zdm: cannot run " + launcher + ": " + e.getMessage());
            err.flush();
            return ExitCodes.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.INTERRUPTED;
        }
    }

    /** This JVM is ending on a signal: the child ends too (Ctrl-C gave it its own SIGINT already), then this one. */
    private static void stop(Process child) {
        child.destroy();
        try {
            if (!child.waitFor(10, TimeUnit.SECONDS)) child.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
