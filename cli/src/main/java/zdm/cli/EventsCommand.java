package zdm.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import zdm.config.Durations;
import zdm.protocol.Request;

@Command(name = "events", mixinStandardHelpOptions = true,
        header = "Show what happened: starts, readiness, exits, restarts, reloads, scaling, config changes, who asked.",
        description = "Oldest first, from the daemon's database (kept across daemon restarts and app deletion).",
        footer = {"", "Examples:",
                "  zdm events                    the last 20 events of every app",
                "  zdm events web -n 100         the last 100 of web",
                "  zdm events --since 10m        everything of the last ten minutes",
                "  zdm events --since 1h -n 50   the newest 50 of the last hour (and how many more there were)",
                "  zdm events web -f             keep printing new ones until Ctrl-C"})
final class EventsCommand extends ClientCommand {
    @Override
    public boolean follows() {
        return follow; // streams from the daemon as well, ended by the client's Ctrl-C
    }

    @Parameters(paramLabel = "<app|all>", completionCandidates = AppCandidates.OrAll.class, arity = "0..1", defaultValue = "all",
            description = "An app name (also of a deleted app), or 'all' (default).")
    String app;

    /** Without --since, how many of the newest events are shown. */
    static final int DEFAULT_LIMIT = 20;

    @Option(names = {"-n", "--lines"}, paramLabel = "<N>",
            description = "How many past events to print at most (default " + DEFAULT_LIMIT + "; with --since: all of them).")
    Integer limit;

    @Option(names = "--since", paramLabel = "<duration>",
            description = "Only events of the last <duration>, e.g. 30s, 10m, 2h: all of them, or with -n the newest N"
                    + " and a line saying how many were left out.")
    String since;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events until Ctrl-C.")
    boolean follow;

    @Override
    public Integer call() throws CliException {
        if (limit != null && limit < 0) throw usage("-n must be 0 or more, got " + limit);
        long sinceMs = 0;
        if (since != null) {
            var ms = Durations.parseMillis(since);
            if (ms.isEmpty()) throw usage("--since: expected " + Durations.ACCEPTED + ", got '" + since + "'");
            sinceMs = System.currentTimeMillis() - ms.getAsLong();
        }
        // --since alone asks for everything (the daemon caps it at its own maximum and says so).
        int n = limit != null ? limit : since != null ? Integer.MAX_VALUE : DEFAULT_LIMIT;
        return stream(new Request.Events("all".equals(app) ? null : app, n, sinceMs, follow), follow);
    }
}
