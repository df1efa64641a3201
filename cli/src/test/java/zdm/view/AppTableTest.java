package zdm.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.protocol.AppView;
import zdm.protocol.WorkerView;

public class AppTableTest {
    public static final List<AppView> APPS = List.of(
            new AppView("web", AppView.Status.DEGRADED, AppView.Desired.RUNNING, 2, 8080, "socket", List.of(
                    // out of order on purpose: rows are sorted by worker id
                    new WorkerView(1, WorkerView.State.WAITING_RESTART, 0, 3, 0, -1, -1, "code 1"),
                    new WorkerView(0, WorkerView.State.ONLINE, 12345, 0, 5_000, 0.25, 12_897_485, null))),
            new AppView("api", AppView.Status.STOPPED, AppView.Desired.STOPPED, 1, null, List.of()),
            new AppView("jobs", AppView.Status.RUNNING, AppView.Desired.RUNNING, 1, null, List.of(
                    new WorkerView(0, WorkerView.State.ONLINE, 7, 12, 2 * 3_600_000, 101.04, 2L << 30, "signal SIGKILL"))));

    @Test
    void summaryRowPerAppThenOneRowPerWorkerWithHumanUnits() {
        assertEquals("""
                app   mode    port  worker       pid  status           restarts  uptime     cpu  memory
                web   socket  8080  1/2 ready         degraded                3            0.3%   12.3M
                web                 0          12345  online                  0      5s    0.3%   12.3M
                web                 1              -  waiting-restart         3       -       -       -
                api   fork       -  0/1 ready         stopped                 0
                jobs  fork       -  1/1 ready         running                12          101.0%    2.0G
                jobs                0              7  online                 12      2h  101.0%    2.0G
                """, AppTable.render(APPS));
    }

    /** The mode is the listen mode of an app with a port (what listen: would say), fork for one without. */
    @Test
    void modeIsTheListenModeOfAnAppWithAPortAndForkWithout() {
        var none = List.<WorkerView>of();
        var running = AppView.Status.RUNNING;
        assertEquals(List.of("socket", "proxy", "fork", "fork"), List.of(
                AppTable.mode(new AppView("a", running, AppView.Desired.RUNNING, 2, 3000, "socket", none)),
                AppTable.mode(new AppView("b", running, AppView.Desired.RUNNING, 2, 3001, "proxy", none)),
                AppTable.mode(new AppView("c", running, AppView.Desired.RUNNING, 1, null, null, none)),
                AppTable.mode(new AppView("d", running, AppView.Desired.RUNNING, 1, null, "socket", none))),
                "a Node app whose port is not learned yet serves nothing: fork");
    }

    @Test
    void unknownCpuAndMemoryOfARunningWorkerShowADash() {
        var app = new AppView("x", AppView.Status.STARTING, AppView.Desired.RUNNING, 1, null,
                List.of(new WorkerView(0, WorkerView.State.STARTING, 99, 0, 0, -1, -1, null)));
        assertEquals("""
                app  mode  port  worker     pid  status    restarts  uptime  cpu  memory
                x    fork     -  0/1 ready       starting         0
                x                0           99  starting         0      0s    -       -
                """, AppTable.render(List.of(app)));
    }

    @Test
    void noAppsGiveAHintInsteadOfAnEmptyTable() {
        assertEquals(AppTable.NO_APPS + "\n", AppTable.render(List.of()));
        assertEquals(AppTable.NO_APPS + "\n", AppTable.render(List.of(), new Tty(true, true, 40)));
    }

    @Test
    void aWideTerminalShowsEveryColumn() {
        String table = AppTable.render(APPS, new Tty(true, false, 200));
        assertEquals(AppTable.render(APPS), table);
    }

    @Test
    void aNarrowTerminalDropsTheLeastUsefulColumnsFirst() {
        String table = AppTable.render(APPS, new Tty(true, false, 60));
        for (String line : table.lines().toList()) assertTrue(line.length() <= 60, line.length() + ": " + line);
        String header = table.lines().findFirst().orElseThrow();
        assertFalse(header.contains("mode"), header);
        assertFalse(header.contains("port"), header);
        assertFalse(header.contains("uptime"), header);
        assertTrue(header.contains("status") && header.contains("worker") && header.contains("memory"), header);
    }

    @Test
    void aVeryNarrowTerminalShortensAppNamesAndStatusesWithATilde() {
        var app = new AppView("a-very-long-application-name", AppView.Status.RUNNING, AppView.Desired.RUNNING, 1, null,
                List.of(new WorkerView(0, WorkerView.State.WAITING_RESTART, 0, 1, 0, -1, -1, null)));
        String table = AppTable.render(List.of(app), new Tty(true, false, 30));
        for (String line : table.lines().toList()) assertTrue(line.length() <= 30, line.length() + ": " + line);
        assertEquals("""
                app       worker     status
                a-very-~  0/1 ready  running
                a-very-~  0          waiting-~
                """, table);
    }

    @Test
    void coloursStatusesAndHeadersOnlyWhenAllowed() {
        String plain = AppTable.render(APPS, new Tty(true, false, 0));
        assertFalse(plain.contains("\033["), plain);
        String coloured = AppTable.render(APPS, new Tty(true, true, 0));
        assertTrue(coloured.contains("\033[32monline\033[0m"), coloured);
        assertTrue(coloured.contains("\033[33mwaiting-restart\033[0m"), coloured);
        assertTrue(coloured.contains("\033[90mstopped\033[0m"), coloured);
        assertTrue(coloured.contains("\033[1mapp\033[0m"), coloured);
        // colour codes take no columns: without them the table is the plain one
        assertEquals(plain, coloured.replaceAll("\033\\[[0-9;]*m", ""));
    }
}
