package zdm.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import zdm.protocol.AppView;
import zdm.protocol.WorkerView;

/**
 * Renders apps as the plain-text table of {@code zdm ls}: one row per worker, rows grouped by app
 * in the daemon's order, workers by id; an app without workers gets one row with its status.
 * Stateless.
 */
public final class AppTable {
    static final String NO_APPS = "no apps yet; start one with: zdm start <ecosystem.yaml|script>";
    private static final String[] HEADERS = {"app", "worker", "pid", "status", "restarts", "uptime", "cpu", "memory"};
    private static final boolean[] RIGHT_ALIGNED = {false, false, true, false, true, true, true, true};
    private static final String NONE = "-";

    private AppTable() {}

    /** The table, each line ending in a newline; a hint line when there are no apps. */
    public static String render(List<AppView> apps) {
        if (apps.isEmpty()) return NO_APPS + "\n";
        var rows = new ArrayList<String[]>();
        rows.add(HEADERS);
        for (AppView app : apps) {
            if (app.workers().isEmpty()) {
                rows.add(new String[] {app.name(), NONE, NONE, app.status(), NONE, NONE, NONE, NONE});
                continue;
            }
            app.workers().stream().sorted(Comparator.comparingInt(WorkerView::id))
                    .forEach(w -> rows.add(row(app, w)));
        }
        return format(rows);
    }

    private static String[] row(AppView app, WorkerView w) {
        boolean running = w.pid() > 0;
        return new String[] {
                app.name(),
                Integer.toString(w.id()),
                running ? Long.toString(w.pid()) : NONE,
                w.state(),
                Integer.toString(w.restarts()),
                running ? Human.duration(w.uptimeMs()) : NONE,
                running ? Human.percent(w.cpuPercent()) : NONE,
                running && w.memoryBytes() >= 0 ? Human.bytes(w.memoryBytes()) : NONE,
        };
    }

    private static String format(List<String[]> rows) {
        var widths = new int[HEADERS.length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) widths[c] = Math.max(widths[c], row[c].length());
        }
        var out = new StringBuilder();
        for (String[] row : rows) {
            var line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                if (c > 0) line.append("  ");
                String pad = " ".repeat(widths[c] - row[c].length());
                line.append(RIGHT_ALIGNED[c] ? pad + row[c] : row[c] + pad);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
