package zdm.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The systemd unit {@code zdm startup} writes: one service running {@code <bin/zdm> daemon} in the
 * foreground. Pure (no I/O), so its text is unit-tested line by line.
 *
 * <p>Choices, each because of how the daemon stops:
 * <ul>
 *   <li>{@code Type=notify}, {@code NotifyAccess=main}: the daemon says READY=1 once its restored
 *       apps settled, so {@code systemctl start} returns when they serve; only the daemon itself
 *       (never a worker) may notify.</li>
 *   <li>{@code KillMode=mixed}: {@code systemctl stop} sends SIGTERM to the daemon alone, which stops
 *       every worker itself (each app's stop signal, draining, kill_timeout); the final SIGKILL then
 *       goes to whatever is left in the cgroup, so a hung stop never leaves workers behind. The
 *       default (control-group) would SIGTERM every worker at once, bypassing stop_signal and the
 *       drain; {@code process} would leave workers running if the daemon hung.</li>
 *   <li>{@code TimeoutStopSec}: a worker may drain for kill_timeout and then get kill_timeout more
 *       before SIGKILL, so 2 x the largest kill_timeout plus 15 s for the JVM and the store.</li>
 *   <li>{@code ExecReload}: SIGHUP is the daemon's rolling reload of every app.</li>
 * </ul>
 *
 * @param launcher   absolute path of {@code bin/zdm}
 * @param system     a system unit (User=, multi-user.target) rather than a user unit
 * @param user       the account the daemon runs as (User= of a system unit)
 * @param environment ZDM_HOME, JAVA_HOME, PATH... in a stable order
 */
public record SystemdUnit(Path launcher, boolean system, String user, Map<String, String> environment,
                          Duration maxKillTimeout, Duration maxListenTimeout) {
    /** First line of every unit we write: how {@code zdm unstartup} recognises its own file. */
    public static final String MARKER = "# Written by 'zdm startup'";
    public static final String NAME = "zdm.service";

    public SystemdUnit {
        Objects.requireNonNull(launcher);
        if (!launcher.isAbsolute()) throw new IllegalArgumentException("launcher must be absolute: " + launcher);
        environment = Map.copyOf(environment);
    }

    public Duration stopTimeout() {
        return maxKillTimeout.multipliedBy(2).plusSeconds(15);
    }

    /** Restore may first stop a crashed daemon's leftovers, then waits for readiness; never below systemd's 90 s. */
    public Duration startTimeout() {
        var needed = maxKillTimeout.plus(maxListenTimeout).plusSeconds(30);
        return needed.compareTo(Duration.ofSeconds(90)) > 0 ? needed : Duration.ofSeconds(90);
    }

    public String render() {
        var b = new StringBuilder();
        b.append(MARKER).append(" (zdm ").append(Version.VERSION).append("); remove it with 'zdm unstartup")
                .append(system ? " --system" : " --user").append("'.\n");
        b.append("[Unit]\n");
        b.append("Description=zdm process manager (").append(escape(environment.getOrDefault("ZDM_HOME", "~/.zdm"))).append(")\n");
        if (system) {
            b.append("After=network.target\n");
        }
        b.append("\n[Service]\n");
        b.append("Type=notify\n");
        b.append("NotifyAccess=main\n");
        if (system) b.append("User=").append(user).append('\n');
        environment.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> b.append("Environment=").append(quote(e.getKey() + "=" + e.getValue(), false)).append('\n'));
        b.append("ExecStart=").append(quote(launcher.toString(), true)).append(" daemon\n");
        b.append("ExecReload=/bin/kill -HUP $MAINPID\n");
        b.append("Restart=on-failure\n");
        b.append("RestartSec=2\n");
        b.append("KillMode=mixed\n");
        b.append("TimeoutStartSec=").append(startTimeout().toSeconds()).append('\n');
        b.append("TimeoutStopSec=").append(stopTimeout().toSeconds()).append('\n');
        b.append("LimitNOFILE=65536\n");
        b.append("\n[Install]\n");
        b.append("WantedBy=").append(system ? "multi-user.target" : "default.target").append('\n');
        return b.toString();
    }

    /** The unit file's path: {@code /etc/systemd/system} or the user's {@code $XDG_CONFIG_HOME/systemd/user}. */
    public static Path path(boolean system, Map<String, String> env, Path userHome) {
        if (system) return Path.of("/etc/systemd/system", NAME);
        String xdg = env.get("XDG_CONFIG_HOME");
        Path config = xdg != null && xdg.startsWith("/") ? Path.of(xdg) : userHome.resolve(".config");
        return config.resolve("systemd/user").resolve(NAME);
    }

    /** systemd's command to manage this kind of unit. */
    public static String systemctl(boolean system) {
        return system ? "systemctl" : "systemctl --user";
    }

    /**
     * A double-quoted word as systemd parses it in ExecStart= and Environment=: backslash and quote
     * escaped, '%' doubled (specifiers everywhere) and, in a command line only, '$' doubled
     * (Environment= does not expand variables).
     */
    static String quote(String s, boolean commandLine) {
        String q = escape(s).replace("\\", "\\\\").replace("\"", "\\\"");
        return "\"" + (commandLine ? q.replace("$", "$$") : q) + "\"";
    }

    private static String escape(String s) {
        return s.replace("%", "%%").replace("\n", " ");
    }
}
