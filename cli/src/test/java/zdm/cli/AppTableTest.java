package zdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import zdm.protocol.AppView;
import zdm.protocol.WorkerView;

class AppTableTest {
    static final List<AppView> APPS = List.of(
            new AppView("web", "degraded", "running", 2, 8080, List.of(
                    // out of order on purpose: rows are sorted by worker id
                    new WorkerView(1, "waiting-restart", 0, 3, 0, -1, -1, "code 1"),
                    new WorkerView(0, "online", 12345, 0, 5_000, 0.25, 12_897_485, null))),
            new AppView("api", "stopped", "stopped", 1, null, List.of()),
            new AppView("jobs", "running", "running", 1, null, List.of(
                    new WorkerView(0, "online", 7, 12, 2 * 3_600_000, 101.04, 2L << 30, "signal SIGKILL"))));

    @Test
    void oneRowPerWorkerGroupedByAppWithHumanUnits() {
        assertEquals("""
                app   worker    pid  status           restarts  uptime     cpu  memory
                web   0       12345  online                  0      5s    0.3%   12.3M
                web   1           -  waiting-restart         3       -       -       -
                api   -           -  stopped                 -       -       -       -
                jobs  0           7  online                 12      2h  101.0%    2.0G
                """, AppTable.render(APPS));
    }

    @Test
    void unknownCpuAndMemoryOfARunningWorkerShowADash() {
        var app = new AppView("x", "starting", "running", 1, null,
                List.of(new WorkerView(0, "starting", 99, 0, 0, -1, -1, null)));
        assertEquals("""
                app  worker  pid  status    restarts  uptime  cpu  memory
                x    0        99  starting         0      0s    -       -
                """, AppTable.render(List.of(app)));
    }

    @Test
    void noAppsGiveAHintInsteadOfAnEmptyTable() {
        assertEquals(AppTable.NO_APPS + "\n", AppTable.render(List.of()));
    }
}
