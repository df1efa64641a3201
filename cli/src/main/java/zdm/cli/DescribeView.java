package zdm.cli;

import zdm.view.Human;
import zdm.view.Timestamps;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import zdm.protocol.AppDetail;
import zdm.protocol.AppView;
import zdm.protocol.EventView;
import zdm.protocol.SpecView;
import zdm.protocol.WorkerView;

/** Renders {@code zdm describe}: config, workers, log files, recent events. Stateless. */
public final class DescribeView {
    private DescribeView() {}

    public static String render(AppDetail detail, ZoneId zone) {
        var out = new StringBuilder();
        AppView view = detail.view();
        field(out, "app", view.name() + " (" + view.status() + ", desired " + view.desired() + ")");
        SpecView spec = detail.spec();
        if (spec != null) config(out, view.name(), spec, view.port(), zone);
        field(out, "out log", detail.outLog());
        field(out, "err log", detail.errLog());
        if (spec != null && spec.logFiles() != null) field(out, "also to", logFiles(spec.logFiles()));
        if (spec != null) {
            field(out, "log rotate", spec.logMaxBytes() == 0 ? "off" : "at " + Human.bytes(spec.logMaxBytes())
                    + ", keeping " + spec.logMaxFiles() + " rotated file(s) (.1 newest)");
        }
        out.append("\nworkers:\n").append(indent(workers(view.workers())));
        out.append("\nrecent events:\n").append(indent(events(detail.events(), zone)));
        return out.toString();
    }

    /** pm2's out_file, error_file and log_file, as the daemon writes them. */
    private static String logFiles(SpecView.LogFilesView files) {
        var parts = new ArrayList<String>();
        if (files.out() != null) parts.add("out " + files.out());
        if (files.err() != null) parts.add("err " + files.err());
        if (files.combined() != null) parts.add("both " + files.combined());
        return String.join(", ", parts) + (files.merge() ? "" : " (one per worker: -<id> before .log)")
                + (files.dateFormat() == null ? "" : "; lines start with " + files.dateFormat());
    }

    /** The expression, and when it next reloads the app. */
    private static String cron(SpecView spec, ZoneId zone) {
        return spec.cronRestart() + ": a zero-downtime reload at each tick"
                + (spec.cronNextMs() == null ? "" : ", next " + Timestamps.format(spec.cronNextMs(), zone));
    }

    /**
     * {@code shown}: the app's port as ls shows it (AppView.port): for a Node app without port: (socket mode without a
     * port in its spec) the one it was seen to listen on, else null.
     */
    private static String port(SpecView spec, Integer shown) {
        if (spec.port() == null && spec.socketMode()) {
            return shown == null ? "- (learned from the app's own listen() when a worker listens; listen: socket)"
                    : shown + " (learned from the app's own listen(); listen: socket, the workers accept on it as fd 3)";
        }
        return spec.port() == null ? "-"
                : spec.port() + (spec.socketMode() ? " (listen: socket, the workers accept on it as fd 3)"
                        : " (listen: proxy, the daemon accepts and forwards to each worker's PORT)");
    }

    private static void config(StringBuilder out, String name, SpecView spec, Integer shownPort, ZoneId zone) {
        field(out, "source", spec.source());
        field(out, "command", spec.command().stream().map(DescribeView::quote).collect(Collectors.joining(" ")));
        field(out, "cwd", spec.cwd());
        field(out, "instances", Integer.toString(spec.instances()));
        field(out, "port", port(spec, shownPort));
        field(out, "stop", (spec.shutdownWithMessage() ? "the message 'shutdown' (zdm's preload turns " + spec.stopSignal()
                + " into it)" : spec.stopSignal()) + ", SIGKILL after " + Human.millis(spec.killTimeoutMs()));
        field(out, "restart", !spec.autorestart() ? "off" : "on exit, backoff " + Human.millis(spec.restartDelayMs())
                + " doubling to " + Human.millis(spec.restartDelayMaxMs()) + "; errored after " + spec.maxRestarts()
                + " restarts that lived under " + Human.millis(spec.minUptimeMs()));
        field(out, "reload", "a replacement must stay up " + Human.millis(spec.minReadyMs())
                + " once ready before its old worker is retired (min_ready_time)");
        if (!spec.stopExitCodes().isEmpty()) {
            field(out, "", "not restarted after exit code " + spec.stopExitCodes().stream().map(String::valueOf)
                    .collect(Collectors.joining(", ")) + " (stop_exit_codes)");
        }
        field(out, "max memory", spec.maxMemoryBytes() == 0 ? "off" : Human.bytes(spec.maxMemoryBytes()));
        if (!spec.autostart()) field(out, "autostart", "false (zdm start <file> registers it; zdm start " + name + " starts it)");
        if (spec.cronRestart() != null) field(out, "cron", cron(spec, zone));
        if (!spec.watch().isEmpty()) {
            field(out, "watch", String.join(", ", spec.watch()) + "; reload " + Human.millis(spec.watchDelayMs())
                    + " after the last change; ignoring " + String.join(", ", spec.ignoreWatch()));
        }
        var env = new TreeMap<>(spec.env());
        if (env.isEmpty()) {
            field(out, "env", "-");
        } else {
            boolean first = true;
            for (Map.Entry<String, String> e : env.entrySet()) {
                field(out, first ? "env" : "", e.getKey() + "=" + e.getValue());
                first = false;
            }
            if (spec.envMasked()) field(out, "", "(secret-looking values masked; --show-secrets shows them)");
        }
    }

    private static String workers(List<WorkerView> workers) {
        if (workers.isEmpty()) return "none\n";
        var rows = new ArrayList<List<String>>();
        boolean anyStatus = workers.stream().anyMatch(w -> w.status() != null);
        rows.add(header(anyStatus));
        for (WorkerView w : workers) {
            boolean running = w.pid() > 0;
            var row = new ArrayList<>(List.of(Integer.toString(w.id()), running ? Long.toString(w.pid()) : "-", w.state().wireName(),
                    Integer.toString(w.restarts()), running ? Human.duration(w.uptimeMs()) : "-",
                    w.lastExit() == null ? "-" : w.lastExit()));
            if (anyStatus) row.add(w.status() == null ? "-" : w.status());
            rows.add(row);
        }
        return columns(rows);
    }

    /** The status column (sd_notify's STATUS=) only when some worker sent one. */
    private static List<String> header(boolean withStatus) {
        var h = new ArrayList<>(List.of("worker", "pid", "state", "restarts", "uptime", "last exit"));
        if (withStatus) h.add("status");
        return h;
    }

    private static String events(List<EventView> events, ZoneId zone) {
        if (events.isEmpty()) return "none\n";
        var rows = new ArrayList<List<String>>();
        for (EventView e : events) {
            rows.add(List.of(Timestamps.format(e.timeMs(), zone), e.kind(),
                    e.worker() == null ? "-" : "worker " + e.worker(),
                    (e.detail() == null ? "" : e.detail()) + (e.uid() == null ? "" : " (uid " + e.uid() + ")")));
        }
        return columns(rows);
    }

    /** Left-aligned columns two spaces apart, trailing blanks removed. */
    private static String columns(List<List<String>> rows) {
        int n = rows.getFirst().size();
        var widths = new int[n];
        rows.forEach(r -> { for (int c = 0; c < n; c++) widths[c] = Math.max(widths[c], r.get(c).length()); });
        var out = new StringBuilder();
        for (List<String> r : rows) {
            var line = new StringBuilder();
            for (int c = 0; c < n; c++) line.append(c == 0 ? "" : "  ").append(r.get(c)).append(" ".repeat(widths[c] - r.get(c).length()));
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append(String.format("%-12s%s", name.isEmpty() ? "" : name + ":", value == null ? "-" : value)).append('\n');
    }

    private static String indent(String block) {
        return block.lines().map(l -> "  " + l).collect(Collectors.joining("\n", "", "\n"));
    }

    /** Quotes an argument the way a POSIX shell would need it, so the command can be copied. */
    static String quote(String arg) {
        if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_./:=@%+,-]+")) return arg;
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
