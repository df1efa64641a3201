package zdm.cli;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import zdm.daemon.DaemonMain;
import zdm.protocol.Paths;

/** The {@code zdm} program: runs the command line and exits with its code. */
public final class Main {
    /** The argument vector that runs the daemon; the same command as picocli's {@code zdm daemon}. */
    static final String DAEMON = "daemon";

    private Main() {}

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals(DAEMON)) {
            // The daemon's own JVM (DaemonLauncher, systemd): straight in, without building the command line. picocli
            // and its annotation processing would stay loaded for the daemon's whole life (~1.5 MiB of class metadata).
            Paths paths = Paths.fromEnvironment();
            System.exit(DaemonMain.runForeground(paths, DaemonCommands.host(paths)));
        }
        var out = new PrintWriter(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        var err = new PrintWriter(new FileOutputStream(FileDescriptor.err), false, StandardCharsets.UTF_8);
        OptionalInt fast = FastPath.run(args, out, err); // run by the daemon; else (empty) by the full CLI here
        System.exit(fast.isPresent() ? fast.getAsInt() : run(args, out, err));
    }

    /** Same as {@link Cli#run(String[], PrintWriter, PrintWriter)}. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return Cli.run(args, out, err);
    }
}
