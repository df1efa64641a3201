package zdm.cli;

import java.io.PrintWriter;
import java.util.List;
import zdm.protocol.Request;
import zdm.protocol.Response;
import zdm.view.AppTable;

/**
 * {@code zdm ping} and {@code zdm ls} (also {@code list}, {@code status}) with no further word, as the
 * daemon runs them for the fast path without building a picocli command: the commands scripts and
 * people run over and over, on a daemon that may never see another. picocli and the command classes
 * then stay unloaded, ~2.8 MiB of the idle daemon's memory (class metadata, heap and compiled code:
 * docs/benchmarks.md, issue 16), and the daemon spends no time on picocli's reflection per call. The
 * output is what {@link PingCommand} and {@link ListCommand} print, from the same code ({@link
 * PingCommand#line}, {@link AppTable}); anything else, an option included, goes to picocli, and so
 * does any failure, which picocli's path then reports in its own words.
 */
final class QuickCommands {
    private static final List<String> LS = List.of("ls", "list", "status");

    private QuickCommands() {}

    /** The exit code when {@code args} is one of these commands and it ran; -1 when picocli must run it. */
    static int run(String[] args, CliContext context, PrintWriter out, PrintWriter err) {
        if (args.length != 1) return -1;
        boolean ping = args[0].equals("ping");
        if (!ping && !LS.contains(args[0])) return -1;
        Response answer;
        try {
            answer = context.client(err).call(ping ? new Request.Ping() : new Request.ListApps(), partial -> { });
        } catch (CliException e) {
            return -1;
        }
        switch (answer) {
            case Response.Pong pong when ping -> out.println(PingCommand.line(pong));
            case Response.Apps apps when !ping -> out.print(AppTable.render(apps.apps(), context.tty()));
            default -> {
                return -1;
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
