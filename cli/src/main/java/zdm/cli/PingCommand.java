package zdm.cli;

import zdm.view.Human;

import picocli.CommandLine.Command;
import zdm.protocol.Request;
import zdm.protocol.Response;

@Command(name = "ping", mixinStandardHelpOptions = true,
        header = "Check that the daemon answers (starting it if needed).")
final class PingCommand extends ClientCommand {
    @Override
    public Integer call() throws CliException {
        if (!(send(new Request.Ping()) instanceof Response.Pong pong)) {
            throw new CliException(ExitCodes.DAEMON, "the daemon did not answer ping with pong");
        }
        out().println(line(pong));
        out().flush();
        return ExitCodes.OK;
    }

    /** What ping prints. */
    static String line(Response.Pong pong) {
        return "pong: daemon " + pong.pid() + " up " + Human.duration(pong.uptimeMs())
                + ", protocol " + pong.protocol() + ", home " + pong.home();
    }
}
