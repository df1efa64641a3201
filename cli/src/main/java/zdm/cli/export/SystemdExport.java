package zdm.cli.export;

import java.util.List;
import java.util.TreeMap;
import zdm.config.AppSpec;

/**
 * One app as a systemd instance template, {@code zdm-<app>@.service}: one unit instance per worker
 * ({@code systemctl enable --now zdm-web@0 zdm-web@1}), the instance name being the worker id. A
 * unit file is not YAML, so it is written line by line, every value escaped for systemd. The
 * mapping and what does not carry over are in docs/export.md. Stateless.
 */
public final class SystemdExport {
    private SystemdExport() {}

    public static String fileName(AppSpec app) {
        return "zdm-" + app.name() + "@.service";
    }

    /** The socket unit of a {@code listen: socket} app, shared by every worker instance. */
    public static String socketFileName(AppSpec app) {
        return "zdm-" + app.name() + ".socket";
    }

    /** {@code systemctl enable --now zdm-web@0 zdm-web@1}: the command that starts every worker. */
    public static String enableCommand(AppSpec app) {
        var out = new StringBuilder("systemctl enable --now");
        if (app.network().socketMode()) out.append(' ').append(socketFileName(app));
        for (int i = 0; i < app.instances(); i++) out.append(" zdm-").append(app.name()).append('@').append(i);
        return out.toString();
    }

    public static String unit(AppSpec app) {
        var u = new StringBuilder();
        u.append("# Exported by zdm from ").append(app.source()).append('\n');
        u.append("# Start all ").append(app.instances()).append(" worker(s): ").append(enableCommand(app)).append('\n');
        if (app.health().livenessIntervalMs() > 0 && !app.health().watchdog()) {
            // WatchdogSec= is the nearest thing, but it waits for the service's own WATCHDOG=1 pings.
            u.append("# Not exported: liveness_interval (systemd cannot probe a service over HTTP; WatchdogSec=\n")
                    .append("# would need the app itself to send WATCHDOG=1 with sd_notify)\n");
        }
        u.append("[Unit]\n");
        u.append("Description=").append(escapeText("zdm app " + app.name() + ", worker %i")).append('\n');
        u.append("After=network.target\n");
        if (app.network().socketMode()) {
            u.append("Requires=").append(socketFileName(app)).append('\n');
            u.append("After=").append(socketFileName(app)).append('\n');
        }
        if (app.restart().autorestart()) {
            // zdm: errored after max_restarts exits that each lived under min_uptime.
            var r = app.restart();
            long window = Math.max(10, (r.minUptimeMs() * (r.maxRestarts() + 1) + r.restartDelayMaxMs()) / 1000);
            u.append("StartLimitIntervalSec=").append(window).append('\n');
            u.append("StartLimitBurst=").append(app.restart().maxRestarts() + 1).append('\n');
        }
        boolean notify = app.health().ready() instanceof zdm.config.Readiness.Notify;
        u.append("\n[Service]\nType=").append(notify ? "notify\nNotifyAccess=all" : "simple").append('\n');
        if (app.network().socketMode()) {
            // Every instance inherits the same listening socket, as zdm's workers do: fd 3 with LISTEN_FDS, or stdin.
            u.append("Sockets=").append(socketFileName(app)).append('\n');
            if (app.network().socketFd() == 0) u.append("StandardInput=socket\nStandardOutput=journal\n");
        }
        if (app.health().watchdog()) u.append("WatchdogSec=").append(app.health().livenessIntervalMs()).append("ms\n");
        u.append("WorkingDirectory=").append(app.process().cwd().replace("%", "%%")).append('\n'); // a path; no quotes here
        var argv = app.process().command().stream().map(SystemdExport::quote).toList();
        u.append("ExecStart=").append(String.join(" ", argv)).append('\n');
        var env = new TreeMap<>(app.process().env());
        env.put("ZDM_APP", app.name());
        env.put("ZDM_WORKER_ID", "%i");
        env.put("NODE_APP_INSTANCE", "%i");
        if (app.network().port() != null) env.put("PORT", Integer.toString(app.network().port()));
        env.forEach((k, v) -> u.append("Environment=").append(quoteEnv(k + "=" + v, !v.equals("%i"))).append('\n'));
        u.append("KillSignal=").append(app.process().stopSignal()).append('\n');
        u.append("KillMode=control-group\n");
        u.append("TimeoutStopSec=").append(app.process().killTimeoutMs()).append("ms\n");
        u.append("Restart=").append(app.restart().autorestart() ? "always" : "no").append('\n');
        u.append("RestartSec=").append(app.restart().restartDelayMs()).append("ms\n");
        if (app.restart().restartDelayMaxMs() > app.restart().restartDelayMs()) {
            u.append("RestartSteps=8\nRestartMaxDelaySec=").append(app.restart().restartDelayMaxMs()).append("ms\n");
        }
        if (app.restart().maxMemoryBytes() > 0) u.append("MemoryMax=").append(app.restart().maxMemoryBytes()).append('\n');
        u.append("\n[Install]\nWantedBy=multi-user.target\n");
        return u.toString();
    }

    /**
     * One word of ExecStart=: double-quoted, '\\' and '"' escaped, '%' doubled (specifiers) and '$'
     * doubled (ExecStart= expands $VAR and ${VAR}).
     */
    static String quote(String word) {
        return "\"" + escape(word, true).replace("$", "$$") + "\"";
    }

    /**
     * One assignment of Environment=: as {@link #quote} but '$' kept as is, since systemd does not
     * expand variables there (only '%' specifiers); a doubled '$' would reach the service doubled.
     */
    static String quoteEnv(String assignment, boolean escapePercent) {
        return "\"" + escape(assignment, escapePercent) + "\"";
    }

    private static String escape(String word, boolean escapePercent) {
        String s = word.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        return escapePercent ? s.replace("%", "%%") : s;
    }

    /** Free text (Description=): only line ends matter. */
    private static String escapeText(String text) {
        return text.replace("\n", " ");
    }

    /**
     * {@code zdm-<app>.socket} for a {@code listen: socket} app: systemd binds the port, as zdm's daemon does, and
     * hands it to every instance that names it in {@code Sockets=}; a connection before any runs starts worker 0.
     */
    public static String socketUnit(AppSpec app) {
        var u = new StringBuilder();
        u.append("# Exported by zdm from ").append(app.source()).append('\n');
        u.append("# The listening socket every worker of ").append(app.name()).append(" inherits (listen: socket)\n");
        if (app.process().command().stream().anyMatch(w -> w.contains("node") || w.endsWith(".js"))) {
            u.append("# A Node app needs zdm's preload to listen on fd 3; under systemd it must take LISTEN_FDS itself\n");
        }
        u.append("[Unit]\n");
        u.append("Description=").append(escapeText("zdm app " + app.name() + ", port " + app.network().port())).append('\n');
        u.append("\n[Socket]\n");
        u.append("ListenStream=").append(app.network().port()).append('\n');
        u.append("Backlog=1024\n");
        u.append("NoDelay=true\n");
        u.append("FileDescriptorName=").append(app.name()).append('\n');
        u.append("Service=zdm-").append(app.name()).append("@0.service\n");
        u.append("\n[Install]\nWantedBy=sockets.target\n");
        return u.toString();
    }

    /** Apps whose workers would fight over one port without zdm's proxy (a socket-mode app shares its .socket unit). */
    public static List<String> warnings(AppSpec app) {
        if (app.network().port() == null || app.instances() < 2 || app.network().socketMode()) return List.of();
        return List.of(app.name() + ": " + app.instances() + " workers share port " + app.network().port()
                + " through zdm's proxy; under systemd each instance binds it itself, so only one can,"
                + " unless the app sets SO_REUSEPORT or you put a load balancer in front");
    }
}
