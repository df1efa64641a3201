package zdm.cli;

import java.nio.file.Path;
import java.util.List;

/** The daemon closed the connection before its final answer (it stopped or crashed). */
public final class ConnectionClosedException extends CliException {
    public ConnectionClosedException(Path daemonLog, Throwable cause) {
        super(ExitCodes.DAEMON, zdm.client.SilenceGuard.closed(daemonLog), List.of(), cause);
    }
}
