package zdm.config;

import static zdm.config.AppKey.*;

import java.util.Map;

/**
 * The rules of pm2's {@code instance_var} and {@code increment_var} (each worker's index under another name, and a
 * variable counted up per worker) against the app's {@code env} and {@code port}. Stateless.
 */
final class WorkerVarRules {
    private WorkerVarRules() {}

    static void check(ReadKeys k) {
        String instanceVar = k.get(INSTANCE_VAR);
        String incrementVar = k.values().containsKey(INCREMENT_VAR) ? k.get(INCREMENT_VAR) : null;
        Map<String, String> env = k.values().containsKey(ENV) ? k.get(ENV) : Map.of();
        if (k.written(INSTANCE_VAR) && k.valid(INSTANCE_VAR) && env.containsKey(instanceVar)) {
            k.fail(INSTANCE_VAR, "env sets " + instanceVar + " too, and zdm sets it to each worker's index; remove it from env");
        }
        if (incrementVar == null) return;
        if (incrementVar.equals(instanceVar)) {
            k.fail(INCREMENT_VAR, incrementVar + " is also instance_var (the worker's index); count another variable");
        } else if (incrementVar.equals("PORT") && k.written(PORT)) {
            k.fail(INCREMENT_VAR, "PORT is each worker's private port, which zdm sets (port: is the one all workers share);"
                    + " remove increment_var, or count another variable");
        } else if (env.get(incrementVar) instanceof String base && !base.isBlank() && !base.strip().matches("-?\\d{1,15}")) {
            k.fail(INCREMENT_VAR, "counts up from env." + incrementVar + ", which must be a whole number, got "
                    + Suggestions.quote(base));
        }
    }
}
