package zdm.cli;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/** The {@code zdm} program: runs the command line and exits with its code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        var out = new PrintWriter(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        var err = new PrintWriter(new FileOutputStream(FileDescriptor.err), false, StandardCharsets.UTF_8);
        OptionalInt quick = QuickCommands.run(args, out); // ls and ping without picocli; else the full CLI
        System.exit(quick.isPresent() ? quick.getAsInt() : run(args, out, err));
    }

    /** Same as {@link Cli#run(String[], PrintWriter, PrintWriter)}. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return Cli.run(args, out, err);
    }
}
