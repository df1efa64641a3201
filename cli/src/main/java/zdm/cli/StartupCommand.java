package zdm.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import zdm.proc.Posix;
import zdm.protocol.Request;
import zdm.protocol.Response;

@Command(name = "startup", mixinStandardHelpOptions = true,
        header = "Write a systemd unit that runs the daemon at boot (prints the systemctl commands to run).",
        description = {"Default: a user unit (~/.config/systemd/user/zdm.service) when not root, a system unit"
                + " (/etc/systemd/system/zdm.service, User=root) when root. The unit runs '<this zdm> daemon'"
                + " with this ZDM_HOME, JAVA_HOME and PATH; its stop timeout follows the registered apps'"
                + " kill_timeout (run 'zdm startup' again after raising it). Never runs systemctl itself."},
        footer = {"", "Examples:", "  zdm startup", "  zdm startup --print", "  sudo zdm startup --system"})
final class StartupCommand extends ClientCommand {
    static final Duration DEFAULT_KILL_TIMEOUT = Duration.ofSeconds(5);
    static final Duration DEFAULT_LISTEN_TIMEOUT = Duration.ofSeconds(30);

    @ArgGroup(exclusive = true)
    Scope scope = new Scope();

    @Option(names = "--print", description = "Print the unit on stdout instead of writing it.")
    boolean print;

    @Option(names = "--zdm", paramLabel = "<path>",
            description = "The zdm launcher the unit runs (default: the bin/zdm running now).")
    Path launcher;

    static final class Scope {
        @Option(names = "--user", description = "A user unit (systemctl --user).")
        boolean user;

        @Option(names = "--system", description = "A system unit (needs root to write).")
        boolean system;

        /** Explicit choice, else system for root and user for everyone else. */
        boolean isSystem() {
            return system || (!user && Posix.getuid() == 0);
        }
    }

    @Override
    public Integer call() throws CliException {
        boolean system = scope.isSystem();
        var unit = unit(system);
        if (print) {
            out().print(unit.render());
            out().flush();
            return ExitCodes.OK;
        }
        Path file = SystemdUnit.path(system, System.getenv(), Path.of(System.getProperty("user.home")));
        if (Files.exists(file) && !UnstartupCommand.ours(file)) {
            throw new CliException(ExitCodes.FAILED, file + " exists and was not written by 'zdm startup'; move it away"
                    + " or use --print");
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, unit.render());
        } catch (AccessDeniedException e) {
            throw new CliException(ExitCodes.FAILED, "cannot write " + file + ": permission denied; run it as root"
                    + " (sudo zdm startup --system), use --user, or --print");
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "cannot write " + file + ": " + e.getMessage());
        }
        String ctl = SystemdUnit.systemctl(system);
        out().println("wrote " + file);
        out().println("to start zdm now and at every boot, run:");
        out().println("  " + ctl + " daemon-reload && " + ctl + " enable --now zdm");
        if (!system) {
            out().println("  loginctl enable-linger " + System.getProperty("user.name")
                    + "    # so your user's services start at boot, without a login");
        }
        if (DaemonLauncher.lockHeld(root.context().paths())) {
            out().println("a daemon is already running for " + root.context().paths().home()
                    + ": stop it first ('zdm kill'), or systemd's daemon cannot take the home");
        }
        out().flush();
        return ExitCodes.OK;
    }

    SystemdUnit unit(boolean system) throws CliException {
        Path zdm = launcher != null ? launcher.toAbsolutePath().normalize() : runningLauncher();
        var env = new LinkedHashMap<String, String>();
        env.put("ZDM_HOME", root.context().paths().home().toString());
        env.put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
        String path = System.getenv("PATH");
        if (path != null && !path.isBlank()) env.put("PATH", path); // the apps find node, python... as they do now
        Duration[] timeouts = registeredTimeouts();
        return new SystemdUnit(zdm, system, System.getProperty("user.name"), env, timeouts[0], timeouts[1]);
    }

    /** bin/zdm exports its own absolute path; a bare 'java zdm.cli.Main' has none and must say --zdm. */
    private Path runningLauncher() throws CliException {
        String env = System.getenv("ZDM_LAUNCHER");
        if (env == null || env.isBlank() || !Path.of(env).isAbsolute()) {
            throw new CliException(ExitCodes.USAGE, "cannot tell which zdm launcher runs; run this through bin/zdm"
                    + " or give --zdm /path/to/bin/zdm");
        }
        return Path.of(env);
    }

    /** The largest kill_timeout and listen_timeout of the registered apps (a running daemon's), else defaults. */
    private Duration[] registeredTimeouts() throws CliException {
        long kill = DEFAULT_KILL_TIMEOUT.toMillis();
        long listen = DEFAULT_LISTEN_TIMEOUT.toMillis();
        var client = new DaemonClient(root.context().paths(), DaemonStarter.NEVER, err());
        var list = client.callIfRunning(new Request.ListApps(), r -> {});
        if (list.isPresent() && list.get() instanceof Response.Apps apps) {
            for (var app : apps.apps()) {
                var d = client.callIfRunning(new Request.Describe(app.name()), r -> {});
                if (d.isPresent() && d.get() instanceof Response.Described described) {
                    kill = Math.max(kill, described.app().spec().killTimeoutMs());
                    listen = Math.max(listen, described.app().spec().listenTimeoutMs());
                }
            }
        }
        return new Duration[] {Duration.ofMillis(kill), Duration.ofMillis(listen)};
    }
}
