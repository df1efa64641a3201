package zdm.config;

import java.util.List;
import java.util.Map;
import zdm.proc.Signal;

/**
 * What a worker runs and how it is stopped.
 *
 * @param command             the argv to execute, first element the program (never run through a shell unless
 *                            {@code shell} was requested, in which case it is {@code /bin/sh -c ...})
 * @param cwd                 absolute working directory
 * @param env                 extra environment (on top of the daemon's own)
 * @param stopSignal          the signal that asks a worker to stop
 * @param killTimeoutMs       time between the stop signal and SIGKILL
 * @param shutdownWithMessage a Node worker is asked to stop with the message 'shutdown' (pm2's
 *                            process.send('shutdown')), turned from the stop signal by zdm's preload
 */
public record ProcessSpec(List<String> command, String cwd, Map<String, String> env, Signal stopSignal,
                          long killTimeoutMs, boolean shutdownWithMessage) {
    /** Missing values (a spec stored by an older zdm) take their defaults here. */
    public ProcessSpec {
        command = List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        if (stopSignal == null) stopSignal = Signal.SIGTERM;
    }
}
