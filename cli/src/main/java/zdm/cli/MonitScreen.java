package zdm.cli;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import zdm.protocol.AppView;
import zdm.view.AppTable;
import zdm.view.Tty;

/**
 * What {@code zdm monit} shows: the apps table (every worker's CPU and memory) and, below it, the
 * last log lines of the selected app, as many as the screen has room for. Which app is selected
 * is its only state; the arrow keys, j/k and Tab move it. Rendering is pure, fetching is the
 * command's.
 */
final class MonitScreen {
    /** Log lines shown when the height is unknown (not a terminal). */
    static final int PLAIN_LOG_LINES = 10;
    /** Fewer lines than this and the table is cut instead, so some log lines always show. */
    private static final int MIN_LOG_LINES = 3;
    /** The footer Watch adds, and the blank and title lines above the log lines. */
    private static final int FOOTER_LINES = 2, TITLE_LINES = 2;
    private static final String SGR = "\033\\[[0-9;]*m";

    private String selected;

    MonitScreen(String selected) {
        this.selected = selected;
    }

    /** The selected app among {@code apps}: the chosen one while it exists, else the first (null: no apps). */
    String selected(List<AppView> apps) {
        var names = apps.stream().map(AppView::name).toList();
        if (selected == null || !names.contains(selected)) selected = names.isEmpty() ? null : names.getFirst();
        return selected;
    }

    /** Moves the selection; true when the key was one of monit's. */
    boolean key(int key, List<AppView> apps) {
        int step = switch (key) {
            case Watch.UP, 'k' -> -1;
            case Watch.DOWN, 'j', '\t' -> 1;
            default -> 0;
        };
        String current = selected(apps);
        if (step == 0 || current == null) return false;
        var names = apps.stream().map(AppView::name).toList();
        selected = names.get(Math.floorMod(names.indexOf(current) + step, names.size()));
        return true;
    }

    /** How many log lines fit below the table on a screen of {@code height} lines (0: not a terminal). */
    static int logLines(String table, int height) {
        if (height <= 0) return PLAIN_LOG_LINES;
        return Math.max(MIN_LOG_LINES, height - FOOTER_LINES - TITLE_LINES - (int) table.lines().count());
    }

    /** The frame: the table, a title naming the selected app, its log lines cut to the width. */
    static String render(List<AppView> apps, String selected, List<String> logLines, Tty tty, ZoneId zone) {
        String table = AppTable.render(apps, tty);
        if (selected == null) return table;
        var out = new StringBuilder(table).append('\n');
        out.append(cut("last log lines of " + selected, tty.width())).append('\n');
        var lines = new ArrayList<String>();
        for (String line : logLines) lines.add(LogLines.paint(cut(plain(LogLines.render(line, zone, Tty.PLAIN)), tty.width()), tty));
        if (lines.isEmpty()) lines.add("(no log lines yet)");
        lines.forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }

    /** An app's output as text: colours dropped, other control characters made visible. */
    private static String plain(String line) {
        return zdm.client.TerminalText.safe(line).replaceAll(SGR, "");
    }

    /** Cut to the width, one column short of it so that no terminal wraps the line. */
    private static String cut(String line, int width) {
        return width <= 1 || line.length() < width ? line : line.substring(0, width - 1);
    }
}
