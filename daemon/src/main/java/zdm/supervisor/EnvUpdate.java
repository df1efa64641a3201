package zdm.supervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import zdm.config.AppSpec;

/**
 * pm2's {@code --update-env} on restart and reload: the environment of the {@code zdm} command that asked goes over
 * the app's own {@code env} (a variable of the same name takes the caller's value, the app's others stay), and the
 * app keeps it, as it keeps the environment of its first start without the option. Variables zdm sets for each
 * worker, or that belong to the daemon's own service manager, are never taken; nor {@code PORT} for an app with a
 * port (zdm gives each worker its own). Immutable.
 *
 * @param next     the spec to run, with the new environment
 * @param previous the spec it replaces when the environment changed (a failed reload puts it back), else null
 * @param changed  the names of the variables added or changed
 */
public record EnvUpdate(AppSpec next, AppSpec previous, List<String> changed) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> NEVER = Set.of("ZDM_APP", "ZDM_WORKER_ID", "NODE_APP_INSTANCE", "ZDM_SPAWN_ID",
            "ZDM_STOP_SIGNAL", "ZDM_READY_FILE", "ZDM_ACCEPT_SHARE", "ZDM_SHUTDOWN_MESSAGE", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES",
            "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID");

    /**
     * pm2's {@code start <file>}: the app as its file gives it, with the caller's variables beneath the file's
     * {@code env} (the file wins; {@link zdm.config.ProcessSpec#callerEnv}), the same ones {@link #of} takes.
     */
    public static AppSpec beneath(AppSpec spec, Map<String, String> caller) {
        if (caller == null) return spec;
        var env = new TreeMap<String, String>();
        caller.forEach((name, value) -> {
            if (value != null && taken(name, spec)) env.put(name, value);
        });
        return spec.withCallerEnv(env);
    }

    private static boolean taken(String name, AppSpec spec) {
        return NAME.matcher(name).matches() && !NEVER.contains(name) && !name.equals(spec.process().instanceVar())
                && !(name.equals("PORT") && spec.network().port() != null);
    }

    /** {@code caller} null: no update (the app keeps its environment). */
    static EnvUpdate of(AppSpec spec, Map<String, String> caller) {
        if (caller == null) return new EnvUpdate(spec, null, List.of());
        var env = new TreeMap<>(spec.process().env());
        var changed = new ArrayList<String>();
        caller.forEach((name, value) -> {
            if (value == null || !taken(name, spec)) return;
            if (!value.equals(env.put(name, value))) changed.add(name);
        });
        if (changed.isEmpty()) return new EnvUpdate(spec, null, List.of());
        changed.sort(null);
        return new EnvUpdate(spec.withEnv(env), spec, List.copyOf(changed));
    }

    /** Makes {@link #next} the app's spec, in memory and in the store (on the loop). */
    void applyTo(AppRegistry registry, App app) {
        if (previous == null) return;
        app.replaceSpec(next);
        registry.saveSpec(next);
    }

    /** For the request's event: which variables --update-env changed (names only: values may be secrets). */
    String detail() {
        if (previous == null) return null;
        return "--update-env: " + changed.size() + " variable(s) changed: " + String.join(", ", changed);
    }
}
