package zdm.view;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import zdm.protocol.AppView;
import zdm.protocol.WorkerView;

/**
 * Renders apps as the table of {@code zdm ls}: per app one summary row (mode, port, ready/desired
 * workers, app status, totals) followed by one row per worker, in the daemon's order, workers by id.
 * Fits the table into {@link Tty#width()} by dropping the least useful columns first, then shortening
 * app names and statuses (marked with {@code ~}). Colours statuses when the Tty allows. Stateless.
 */
public final class AppTable {
    public static final String NO_APPS = "no apps yet; start one with: zdm start <ecosystem.yaml|script>";
    public static final String[] HEADERS = {"app", "mode", "port", "worker", "pid", "status", "restarts", "uptime", "cpu", "memory"};
    private static final boolean[] RIGHT_ALIGNED = {false, false, true, false, true, false, true, true, true, true};
    /** Columns that may go when the terminal is too narrow, least useful first. */
    public static final List<Integer> DROP_ORDER = List.of(1, 2, 7, 6, 4, 8, 9);
    private static final int APP = 0, STATUS = 5, MIN_SHORTENED = 3;
    private static final String NONE = "-";

    private AppTable() {}

    /** The table as plain text at any width (what start, restart and scale print after their message). */
    public static String render(List<AppView> apps) {
        return render(apps, Tty.PLAIN);
    }

    /** The table, each line ending in a newline; a hint line when there are no apps. */
    public static String render(List<AppView> apps, Tty tty) {
        if (apps.isEmpty()) return NO_APPS + "\n";
        var rows = new ArrayList<Row>();
        rows.add(new Row(Kind.HEADER, HEADERS.clone(), null));
        for (AppView app : apps) {
            rows.add(new Row(Kind.APP, summary(app), Tty.statusStyle(app.status())));
            for (WorkerView w : byId(app.workers())) rows.add(new Row(Kind.WORKER, worker(app, w), Tty.statusStyle(w.state())));
        }
        return format(rows, tty);
    }

    /** The workers by id: as the daemon sends them (its snapshot sorts them), else sorted here. */
    private static List<WorkerView> byId(List<WorkerView> workers) {
        for (int i = 1; i < workers.size(); i++) {
            if (workers.get(i - 1).id() > workers.get(i).id()) {
                var sorted = new ArrayList<>(workers);
                sorted.sort(Comparator.comparingInt(WorkerView::id));
                return sorted;
            }
        }
        return workers;
    }

    /**
     * How the workers get their connections: "socket" (they share the port's socket, pm2's cluster mode), "proxy"
     * (through the daemon's proxy), or "fork" (no port: separate processes, as pm2 says). pm2's "cluster" would name
     * both of the first two, since every zdm app with a port shares it; the listen mode is what tells them apart, and
     * is the value a file writes as listen:.
     */
    public static String mode(AppView app) {
        if (app.port() == null) return "fork";
        return app.listen() != null ? app.listen() : "proxy";
    }

    private enum Kind { HEADER, APP, WORKER }

    /** @param statusStyle the SGR style of the row's status cell (null for the header) */
    private record Row(Kind kind, String[] cells, String statusStyle) {}

    /** One pass over the workers (an {@code ls} of 1,000 workers makes 500 of these rows, in a daemon that may not have compiled them yet). */
    private static String[] summary(AppView app) {
        long online = 0;
        int restarts = 0;
        boolean cpuKnown = false, memKnown = false;
        double cpu = 0;
        long memory = 0;
        for (WorkerView w : app.workers()) {
            if (w.state() == WorkerView.State.ONLINE) online++;
            restarts += w.restarts();
            if (w.pid() <= 0) continue;   // only running workers count towards the figures
            cpuKnown |= w.cpuPercent() >= 0;
            memKnown |= w.memoryBytes() >= 0;
            cpu += Math.max(0, w.cpuPercent());
            memory += Math.max(0, w.memoryBytes());
        }
        return new String[] {
                app.name(),
                mode(app),
                app.port() == null ? NONE : app.port().toString(),
                online + "/" + app.instances() + " ready",
                "",
                app.status().wireName(),
                Integer.toString(restarts),
                "",
                cpuKnown ? Human.percent(cpu) : "",
                memKnown ? Human.bytes(memory) : "",
        };
    }

    private static String[] worker(AppView app, WorkerView w) {
        boolean running = w.pid() > 0;
        return new String[] {
                app.name(),
                "",
                "",
                Integer.toString(w.id()),
                running ? Long.toString(w.pid()) : NONE,
                w.state().wireName(),
                Integer.toString(w.restarts()),
                running ? Human.duration(w.uptimeMs()) : NONE,
                running ? Human.percent(w.cpuPercent()) : NONE,
                running && w.memoryBytes() >= 0 ? Human.bytes(w.memoryBytes()) : NONE,
        };
    }

    private static String format(List<Row> rows, Tty tty) {
        int n = HEADERS.length;
        var widths = new int[n];
        for (Row row : rows) {
            for (int c = 0; c < n; c++) widths[c] = Math.max(widths[c], row.cells()[c].length());
        }
        var shown = new boolean[n];
        java.util.Arrays.fill(shown, true);
        fit(widths, shown, tty.width());
        var out = new StringBuilder(rows.size() * (total(widths, shown) + 1));
        for (Row row : rows) {
            int lineStart = out.length();
            boolean first = true;
            for (int c = 0; c < n; c++) {
                if (!shown[c]) continue;
                if (!first) out.append("  ");
                first = false;
                String text = shorten(row.cells()[c], widths[c]);
                int pad = widths[c] - text.length();
                if (RIGHT_ALIGNED[c]) out.repeat(' ', pad);
                out.append(paint(row, c, text, tty));
                if (!RIGHT_ALIGNED[c]) out.repeat(' ', pad);
            }
            // Trailing padding goes (a colour reset may follow the last visible character, so not strip()).
            int end = out.length();
            while (end > lineStart && out.charAt(end - 1) == ' ') end--;
            out.setLength(end);
            out.append('\n');
        }
        return out.toString();
    }

    /** Drops columns, then narrows the app and status columns, until the table fits; 0 = any width. */
    static void fit(int[] widths, boolean[] shown, int maxWidth) {
        if (maxWidth <= 0) return;
        for (int c : DROP_ORDER) {
            if (total(widths, shown) <= maxWidth) return;
            shown[c] = false;
        }
        // Narrow the wider of the two, one column at a time, so both keep as much as they can.
        while (total(widths, shown) > maxWidth) {
            int c = widths[APP] >= widths[STATUS] ? APP : STATUS;
            if (widths[c] <= MIN_SHORTENED) c = c == APP ? STATUS : APP;
            if (widths[c] <= MIN_SHORTENED) return; // as narrow as it gets
            widths[c]--;
        }
    }

    private static int total(int[] widths, boolean[] shown) {
        int sum = 0, count = 0;
        for (int c = 0; c < widths.length; c++) {
            if (!shown[c]) continue;
            sum += widths[c];
            count++;
        }
        return sum + 2 * Math.max(0, count - 1);
    }

    private static String shorten(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "~";
    }

    private static String paint(Row row, int column, String text, Tty tty) {
        return switch (row.kind()) {
            case HEADER -> tty.paint("1", text);
            case APP -> column == APP ? tty.paint("1", text) : column == STATUS ? tty.paint(row.statusStyle(), text) : text;
            case WORKER -> column == STATUS ? tty.paint(row.statusStyle(), text) : text;
        };
    }
}
