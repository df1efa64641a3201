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
 * @param callerEnv           the environment of the {@code zdm start} that registered an ecosystem file's app, beneath
 *                            {@code env} (pm2 passes its CLI's environment); kept apart from {@code env} so that a later
 *                            start of the file from another shell changes nothing, and a variable removed from the file goes
 * @param instanceVar         the variable that holds the worker's index (pm2's instance_var)
 * @param incrementVar        a variable whose value in the environment (0 if absent) each worker gets plus its index (pm2's
 *                            increment_var), or null
 */
public record ProcessSpec(List<String> command, String cwd, Map<String, String> env, Signal stopSignal,
                          long killTimeoutMs, boolean shutdownWithMessage, Map<String, String> callerEnv,
                          String instanceVar, String incrementVar) {
    /** pm2's name for the worker's index. */
    public static final String DEFAULT_INSTANCE_VAR = "NODE_APP_INSTANCE";

    /** Missing values (a spec stored by an older zdm) take their defaults here. */
    public ProcessSpec {
        command = List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        if (stopSignal == null) stopSignal = Signal.SIGTERM;
        callerEnv = callerEnv == null ? Map.of() : Map.copyOf(callerEnv);
        if (instanceVar == null) instanceVar = DEFAULT_INSTANCE_VAR;
    }

    /** What a worker gets besides zdm's own variables: the caller's environment with {@code env} over it. */
    public Map<String, String> fullEnv() {
        if (callerEnv.isEmpty()) return env;
        var all = new java.util.TreeMap<>(callerEnv);
        all.putAll(env);
        return all;
    }

    /**
     * The variables zdm sets for worker {@code workerId} from these keys: the index under {@link #instanceVar}, and
     * {@link #incrementVar}'s base from {@code base} (the worker's environment) plus the index.
     */
    public Map<String, String> workerVars(int workerId, Map<String, String> base) {
        var vars = new java.util.LinkedHashMap<String, String>();
        vars.put(instanceVar, Integer.toString(workerId));
        if (incrementVar != null) vars.put(incrementVar, Long.toString(incrementBase(base.get(incrementVar)) + workerId));
        return vars;
    }

    /** An absent or blank value counts from 0, as in pm2 (validation refuses anything but a whole number). */
    static long incrementBase(String value) {
        return value == null || value.isBlank() ? 0 : Long.parseLong(value.strip());
    }
}
