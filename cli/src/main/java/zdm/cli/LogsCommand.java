package zdm.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import zdm.protocol.Request;

@Command(name = "logs", mixinStandardHelpOptions = true,
        header = "Print an app's recent log lines (stdout and stderr), optionally following new ones.",
        description = "Lines of all workers (and of all apps with 'all') interleaved by time, each prefixed app[worker];"
                + " the prefix is coloured per app on a terminal.",
        footer = {"", "Examples:",
                "  zdm logs web            the last 15 lines of web",
                "  zdm logs all -n 100     the last 100 lines of every app",
                "  zdm logs web -f         keep printing new lines until Ctrl-C",
                "  zdm logs web --err      only stderr"})
final class LogsCommand extends ClientCommand {
    @Override
    public boolean follows() {
        return follow; // streams from the daemon as well, ended by the client's Ctrl-C
    }

    @Parameters(paramLabel = "<app|all>", arity = "0..1", defaultValue = "all", completionCandidates = AppCandidates.OrAll.class,
            description = "An app name, or 'all' (the default).")
    String target;

    @Option(names = {"-n", "--lines"}, paramLabel = "<N>", defaultValue = "15",
            description = "How many past lines to print (default ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until Ctrl-C; goes on across reloads and restarts.")
    boolean follow;

    @Option(names = "--err", description = "Only stderr lines.")
    boolean errOnly;

    @Option(names = "--out", description = "Only stdout lines (and zdm's own notes).")
    boolean outOnly;

    @Override
    public Integer call() throws CliException {
        if (lines < 0) throw usage("-n must be 0 or more, got " + lines);
        if (errOnly && outOnly) throw usage("--err and --out exclude each other; give neither for both");
        var stream = errOnly ? Request.LogStream.ERR : outOnly ? Request.LogStream.OUT : null;
        return stream(new Request.Logs(target, lines, follow, stream), follow);
    }
}
