package zdm.client;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * What bin/zdm runs for a command of the fast path (bin/lib/launch.sh, zdm_fast_command), with
 * {@code zdm-client.jar} alone on the class path: a help page, or the command run by the daemon
 * ({@link FastClient}). A JVM with the 17 jars of the full CLI on its class path spends ~20 ms more
 * of CPU on the same work (the JDK's service lookups open every jar), so when the full CLI must run
 * the command after all, this starts it as a child process ({@link FullPath}).
 */
public final class FastMain {
    private FastMain() {}

    public static void main(String[] args) {
        var out = new PrintWriter(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        var err = new PrintWriter(new FileOutputStream(FileDescriptor.err), false, StandardCharsets.UTF_8);
        String build = build();
        OptionalInt fast = build == null ? OptionalInt.empty() : FastClient.run(args, out, err, build);
        System.exit(fast.isPresent() ? fast.getAsInt() : FullPath.run(args, err));
    }

    /**
     * This build, which the daemon compares with its own ({@code zdm.cli.LaunchConf.BUILD}): the
     * jar's Implementation-Version (cli/pom.xml), which the JVM has read already, where reading a
     * file from the jar would cost ~10 ms; null outside a jar.
     */
    static String build() {
        return FastMain.class.getPackage().getImplementationVersion();
    }
}
