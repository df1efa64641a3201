package zdm.cli;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import zdm.protocol.AppView;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.view.AppTable;
import zdm.view.Tty;

@Command(name = "monit", mixinStandardHelpOptions = true,
        header = "Live view: every app's workers with CPU and memory, and the last log lines of one app.",
        description = {"pm2's monit: the ls table redrawn every second, and below it the newest log lines of the",
                "selected app. Up/down (or j/k, Tab) select another app; q or Ctrl-C quits. On a non-terminal:",
                "a table and " + MonitScreen.PLAIN_LOG_LINES + " log lines per second."},
        footer = {"", "Examples:",
                "  zdm monit               start with the first app's log lines",
                "  zdm monit web           start with web's"})
final class MonitCommand extends ClientCommand {
    @Parameters(paramLabel = "<app>", arity = "0..1", completionCandidates = AppCandidates.class,
            description = "The app whose log lines show first (default: the first app).")
    String app;

    @Override
    public Integer call() throws CliException {
        Tty tty = tty();
        var screen = new MonitScreen(app);
        var state = new Object() {
            List<AppView> apps = List.of();
        };
        Watch.run(new Watch.Screen() {
            @Override
            public String frame(int width, int height) throws CliException {
                state.apps = apps();
                Tty sized = tty.withWidth(width);
                String selected = screen.selected(state.apps);
                int lines = MonitScreen.logLines(AppTable.render(state.apps, sized), height);
                return MonitScreen.render(state.apps, selected, logs(selected, lines), sized, ZoneId.systemDefault());
            }

            @Override
            public boolean key(int key) {
                return screen.key(key, state.apps);
            }

            @Override
            public String keysHint() {
                return state.apps.size() > 1 ? "up/down: app" : "";
            }
        }, out(), tty.terminal());
        return ExitCodes.OK;
    }

    private List<AppView> apps() throws CliException {
        if (!(send(new Request.ListApps()) instanceof Response.Apps apps)) throw unexpected(new Response.Done(null));
        if (app != null && apps.apps().stream().noneMatch(a -> a.name().equals(app))) {
            throw new CliException(ExitCodes.FAILED, zdm.supervisor.Supervisor.notFoundMessage(app,
                    apps.apps().stream().map(AppView::name).toList()));
        }
        return apps.apps();
    }

    /** The newest lines of the app, both streams, oldest first; an app gone meanwhile has none. */
    private List<String> logs(String name, int lines) throws CliException {
        if (name == null) return List.of();
        var collected = new ArrayList<String>();
        Response done = client().call(new Request.Logs(name, lines, false), r -> {
            if (r instanceof Response.LogLine l) collected.add(l.line());
        });
        return done instanceof Response.Failed ? List.of() : collected;
    }
}
