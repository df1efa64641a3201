package zdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.protocol.AppView;
import zdm.protocol.WorkerView;
import zdm.view.AppTable;
import zdm.view.Tty;

/** monit's frame: the table, the selected app's lines fitted under it, the selection moved by keys. */
class MonitScreenTest {
    static final List<AppView> APPS = List.of(app("web"), app("api"), app("jobs"));

    static AppView app(String name) {
        return new AppView(name, AppView.Status.RUNNING, AppView.Desired.RUNNING, 1, null, List.of(new WorkerView(0, WorkerView.State.ONLINE, 100, 0, 5_000, 1.5, 1 << 20, null)));
    }

    @Test
    void theSelectionStartsAtTheChosenOrFirstAppAndMovesWithArrowsJkAndTab() {
        var screen = new MonitScreen(null);
        assertEquals("web", screen.selected(APPS));
        assertTrue(screen.key(Watch.DOWN, APPS));
        assertEquals("api", screen.selected(APPS));
        assertTrue(screen.key('\t', APPS));
        assertTrue(screen.key('j', APPS));
        assertEquals("web", screen.selected(APPS), "wraps around after the last app");
        assertTrue(screen.key(Watch.UP, APPS));
        assertEquals("jobs", screen.selected(APPS));
        assertTrue(screen.key('k', APPS));
        assertEquals("api", screen.selected(APPS));
        assertFalse(screen.key('x', APPS), "other keys do nothing");
        assertEquals("api", new MonitScreen("api").selected(APPS));
        assertEquals("web", new MonitScreen("gone").selected(APPS), "an app deleted meanwhile: the first");
        assertEquals(null, new MonitScreen(null).selected(List.of()));
    }

    @Test
    void logLinesFillWhatTheTableLeavesOfTheScreen() {
        String table = AppTable.render(APPS, Tty.PLAIN); // a header and 2 rows per app: 7 lines
        assertEquals(40 - 2 - 2 - 7, MonitScreen.logLines(table, 40));
        assertEquals(3, MonitScreen.logLines(table, 10), "a few lines even on a small screen");
        assertEquals(MonitScreen.PLAIN_LOG_LINES, MonitScreen.logLines(table, 0));
    }

    @Test
    void theFrameIsTheTableThenTheSelectedAppsLinesAsTextCutToTheWidth() {
        var tty = new Tty(true, false, 40);
        String frame = MonitScreen.render(APPS, "api", List.of(
                "2026-12-04T17:48:39.103Z api[0] " + "x".repeat(60),
                "2026-12-04T17:48:40.000Z api[0] \033[31mred\033[0m \033]0;title\007"), tty, ZoneOffset.UTC);
        String table = AppTable.render(APPS, tty);
        assertTrue(frame.startsWith(table + "\nlast log lines of api\n"), frame);
        var lines = frame.substring(frame.indexOf("last log lines of api\n") + 22).lines().toList();
        assertEquals(List.of("2026-12-04T17:48:39.103Z api[0] xxxxxxx", "2026-12-04T17:48:40.000Z api[0] red \\x1"), lines);
        assertTrue(MonitScreen.render(APPS, "web", List.of(), tty, ZoneOffset.UTC).endsWith("(no log lines yet)\n"));
    }
}
