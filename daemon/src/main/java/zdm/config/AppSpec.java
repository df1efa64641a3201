package zdm.config;

import java.util.Map;

/**
 * One app's configuration after validation: every default applied, every path absolute,
 * every duration in milliseconds. This is what the store keeps and what the supervisor runs;
 * nothing downstream ever re-validates or re-parses the YAML. The values are grouped by what they
 * are about; {@link #builder} makes one by name, for code and tests.
 *
 * @param name      unique app name ([A-Za-z0-9._-], not starting with a dot)
 * @param source    the ecosystem file this came from, or "<command line>"
 * @param instances number of workers (already resolved from "max")
 * @param autostart start the app when its file is started (pm2's autostart); false: registered, stopped
 * @param process   what a worker runs and how it is stopped
 * @param network   the public port, who accepts on it, and the proxy's limits
 * @param health    readiness and liveness
 * @param restart   the restart policy
 * @param reload    rolling reloads and what triggers them (cron, watch)
 * @param logs      rotation of zdm's log files and pm2's log file options
 */
public record AppSpec(String name, String source, int instances, Boolean autostart, ProcessSpec process,
                      NetworkSpec network, HealthSpec health, RestartSpec restart, ReloadSpec reload, LogSpec logs) {

    /** Defaults that depend on another part (the readiness of a port and mode, min_ready_time's min_uptime) are set here. */
    public AppSpec {
        if (autostart == null) autostart = true;
        if (health.ready() == null) health = health.withReady(Readiness.defaultFor(network.port(), network.listen()));
        if (reload.minReadyMs() == null) reload = reload.withMinReadyMs(restart.minUptimeMs());
    }

    public AppSpec withInstances(int n) {
        return toBuilder().instances(n).build();
    }

    public AppSpec withEnv(Map<String, String> newEnv) {
        return toBuilder().env(newEnv).build();
    }

    /** With the environment of the {@code zdm start} that registers the app beneath its env ({@link ProcessSpec#callerEnv}). */
    public AppSpec withCallerEnv(Map<String, String> newCallerEnv) {
        return newCallerEnv.equals(process.callerEnv()) ? this : toBuilder().callerEnv(newCallerEnv).build();
    }

    /**
     * A builder with the ecosystem file's defaults, for code and tests that make a spec by hand.
     * A key added to a part is added to the builder once, so no caller has to change.
     */
    public static AppSpecBuilder builder(String name, java.util.List<String> command) {
        return new AppSpecBuilder(name, command);
    }

    /** A builder holding every value of this spec. */
    public AppSpecBuilder toBuilder() {
        return new AppSpecBuilder(this);
    }
}
