package zdm.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicInteger;
import zdm.protocol.Paths;

/** Runs the CLI in-process against a given home and captures what it printed. */
record CliRun(int exitCode, String out, String err) {

    /** A starter that counts its calls and refuses, so that a test sees any unwanted auto-start. */
    static final class CountingStarter implements DaemonStarter {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public zdm.protocol.Response.Pong start(Paths paths) throws CliException {
            calls.incrementAndGet();
            return NEVER.start(paths);
        }
    }

    static CliRun run(CliContext context, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Cli.run(context, args, new PrintWriter(out), new PrintWriter(err));
        return new CliRun(code, out.toString(), err.toString());
    }

    static CliRun run(Paths paths, String... args) {
        return run(new CliContext(paths, DaemonStarter.NEVER), args);
    }
}
