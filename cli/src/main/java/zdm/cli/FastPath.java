package zdm.cli;

import java.io.PrintWriter;
import java.util.OptionalInt;
import zdm.client.FastClient;
import zdm.client.Home;
import zdm.protocol.Paths;

/**
 * The fast path ({@link FastClient}) where the full CLI's JVM runs: {@link Main} tries it first,
 * for the commands it applies to, unless {@code ZDM_FAST_PATH=0} or bin/zdm's fast client tried it
 * already ({@value #TRIED}). bin/zdm runs the same client in a JVM of its own for the commands that
 * take the fast path (zdm.client.FastMain); this one serves the rest and whoever runs
 * {@code zdm.cli.Main} directly (the tests).
 */
final class FastPath {
    /** The system property bin/zdm sets when the fast client handed the command over: no second try. */
    static final String TRIED = "zdm.fastPathTried";

    private FastPath() {}

    /** Whether {@code args} may take the fast path, as bin/lib/launch.sh's zdm_fast_command decides. */
    static boolean applies(String[] args) {
        return args.length > 0 && !LaunchConf.FULL.contains(args[0]) && !"0".equals(System.getenv("ZDM_FAST_PATH"));
    }

    /** The help page off a terminal, or {@code args} run by the daemon; empty when the full CLI must run them. */
    static OptionalInt run(String[] args, PrintWriter out, PrintWriter err) {
        if ("0".equals(System.getenv("ZDM_FAST_PATH")) || System.getProperty(TRIED) != null) return OptionalInt.empty();
        if (!applies(args)) return FastClient.help(args, out);
        return FastClient.run(args, out, err, LaunchConf.BUILD);
    }

    /** {@code args} run by the daemon of {@code paths}, if it can. */
    static OptionalInt run(Paths paths, String[] args, PrintWriter out, PrintWriter err) {
        return FastClient.run(new Home(paths.home()), args, out, err, LaunchConf.BUILD);
    }
}
