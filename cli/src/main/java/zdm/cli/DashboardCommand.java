package zdm.cli;

import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import zdm.protocol.Request;
import zdm.protocol.Response;

@Command(name = "dashboard", mixinStandardHelpOptions = true,
        header = "Print (or open) the link of the web dashboard, which the daemon serves on 127.0.0.1.",
        description = {"The dashboard is off until a dashboard: block in an ecosystem file or --enable turns it on."
                + " The link carries the dashboard's token once (the page then keeps a cookie): it grants control"
                + " of every app, so keep it to yourself. From another machine, use an SSH tunnel"
                + " (see docs/dashboard.md)."},
        footer = {"", "Examples:", "  zdm dashboard --enable     turn it on (127.0.0.1:9210) and print the link",
                "  zdm dashboard --open       open the link in the desktop's browser"})
final class DashboardCommand extends ClientCommand {
    @Override
    public boolean needsCallersProcess() {
        return open; // the caller's desktop and $BROWSER
    }

    @Option(names = "--enable", description = "Turn the dashboard on first (where it was last served, or 127.0.0.1:9210).")
    boolean enable;

    @Option(names = "--open", description = "Open the link with $BROWSER or xdg-open instead of only printing it.")
    boolean open;

    @Override
    public Integer call() throws CliException {
        if (!(send(new Request.Dashboard(enable)) instanceof Response.Done done) || done.message() == null) {
            throw new CliException(ExitCodes.DAEMON, "the daemon did not answer with the dashboard's link");
        }
        out().println(done.message());
        out().flush();
        if (open) openInBrowser(done.message());
        return ExitCodes.OK;
    }

    /** $BROWSER (a command, as sensible-browser reads it), else xdg-open; the link is an argument, never shell text. */
    private void openInBrowser(String link) throws CliException {
        String browser = callerEnvironment().getOrDefault("BROWSER", "").strip();
        var command = browser.isEmpty() ? List.of("xdg-open", link) : List.of(browser.split("\\s+")[0], link);
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "cannot start " + command.getFirst() + " (" + e.getMessage()
                    + "); open the link above yourself, or set BROWSER");
        }
    }
}
