package zdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zdm.config.AppSpec;
import zdm.protocol.AppDetail;
import zdm.protocol.AppView;
import zdm.protocol.EventView;
import zdm.protocol.SpecView;
import zdm.protocol.WorkerView;
import zdm.supervisor.SpecViews;

class DescribeViewTest {
    @Test
    void showsConfigWorkersLogsAndEvents() {
        var spec = AppSpec.builder("web", List.of("node", "server.js", "--title", "my app")).cwd("/srv/web")
                .env(Map.of("PORT_OFFSET", "1", "NODE_ENV", "production", "API_TOKEN", "********")).instances(2)
                .port(8080).maxRestarts(10).minReadyMs(3000L).source("/srv/eco.yaml").build();
        var view = new AppView("web", AppView.Status.RUNNING, AppView.Desired.RUNNING, 2, 8080, List.of(
                new WorkerView(0, WorkerView.State.ONLINE, 101, 0, 65_000, 0, 1024, null),
                new WorkerView(1, WorkerView.State.ONLINE, 102, 2, 3_000, 0, 1024, "code 1")));
        var detail = new AppDetail(view, describe(spec), "/h/logs/web.out.log", "/h/logs/web.err.log", List.of(
                new EventView(0, "web", null, "started", "2 workers", 1000, 1),
                new EventView(61_000, "web", 1, "exited", "code 1")));
        assertEquals("""
                app:        web (running, desired running)
                source:     /srv/eco.yaml
                command:    node server.js --title 'my app'
                cwd:        /srv/web
                instances:  2
                port:       8080 (listen: proxy, the daemon accepts and forwards to each worker's PORT)
                stop:       SIGTERM, SIGKILL after 5s
                restart:    on exit, backoff 100ms doubling to 15s; errored after 10 restarts that lived under 1s
                reload:     a replacement must stay up 3s once ready before its old worker is retired (min_ready_time)
                max memory: off
                env:        API_TOKEN=********
                            NODE_ENV=production
                            PORT_OFFSET=1
                            (secret-looking values masked; --show-secrets shows them)
                out log:    /h/logs/web.out.log
                err log:    /h/logs/web.err.log
                log rotate: at 10.0M, keeping 5 rotated file(s) (.1 newest)

                workers:
                  worker  pid  state   restarts  uptime  last exit
                  0       101  online  0         1m      -
                  1       102  online  2         3s      code 1

                recent events:
                  1970-01-01T00:00:00.000Z  started  -         2 workers (uid 1000)
                  1970-01-01T00:01:01.000Z  exited   worker 1  code 1
                """, DescribeView.render(detail, ZoneOffset.UTC));
    }

    @Test
    void showsPm2sLogFilesAndTheShutdownMessage() {
        var spec = AppSpec.builder("web", List.of("node", "server.js")).shutdownWithMessage(true)
                .logFiles(new zdm.config.LogFiles("/srv/logs/out.log", "/dev/null", "", false, "YYYY-MM-DD")).build();
        var view = new AppView("web", AppView.Status.RUNNING, AppView.Desired.RUNNING, 1, null, List.of());
        String text = DescribeView.render(new AppDetail(view, describe(spec), "/h/logs/web.out.log", "/h/logs/web.err.log", List.of()),
                ZoneOffset.UTC);
        assertEquals(List.of("stop:       the message 'shutdown' (zdm's preload turns SIGTERM into it), SIGKILL after 5s",
                        "also to:    out /srv/logs/out.log, err /dev/null, both /h/logs/web.log (one per worker: -<id> before"
                                + " .log); lines start with YYYY-MM-DD"),
                text.lines().filter(l -> l.startsWith("stop:") || l.startsWith("also to:")).toList());
    }

    /** describe reads the protocol's view: the CLI loads no config class to show an app. */
    @Test
    void describeNamesNoConfigClass() throws Exception {
        for (String file : List.of("DescribeView.java", "DescribeCommand.java", "ScaleCommand.java")) {
            String source = java.nio.file.Files.readString(Path.of("src/main/java/zdm/cli", file));
            assertEquals(false, source.contains("zdm.config"), file);
        }
    }

    /** What the daemon sends of the spec (secrets shown: the daemon masks, and the test's env is masked already). */
    private static SpecView describe(AppSpec spec) {
        return SpecViews.of(spec, true, Path.of("/h/logs/web.out.log"), ZonedDateTime.now(ZoneOffset.UTC));
    }
}
