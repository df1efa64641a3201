package zdm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;

@Command(name = "unstartup", mixinStandardHelpOptions = true,
        header = "Remove the systemd unit 'zdm startup' wrote (and its enable link); prints the systemctl commands to run.",
        description = {"Only a file that 'zdm startup' wrote is removed. The daemon keeps running until you stop it."})
final class UnstartupCommand extends ClientCommand {
    @ArgGroup(exclusive = true)
    StartupCommand.Scope scope = new StartupCommand.Scope();

    @Override
    public Integer call() throws CliException {
        boolean system = scope.isSystem();
        Path file = SystemdUnit.path(system, System.getenv(), Path.of(System.getProperty("user.home")));
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            out().println("no " + file + ": nothing to remove");
            out().flush();
            return ExitCodes.OK;
        }
        if (!ours(file)) {
            throw new CliException(ExitCodes.FAILED, file + " was not written by 'zdm startup'; left as it is");
        }
        String ctl = SystemdUnit.systemctl(system);
        // 'systemctl enable' made this link; without the unit file 'systemctl disable' could not remove it.
        Path wants = file.resolveSibling((system ? "multi-user.target" : "default.target") + ".wants").resolve(SystemdUnit.NAME);
        try {
            if (Files.isSymbolicLink(wants) && Files.readSymbolicLink(wants).equals(file)) Files.delete(wants);
            Files.delete(file);
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "cannot remove " + file + ": " + e.getMessage()
                    + (system ? "; run it as root" : ""));
        }
        out().println("removed " + file);
        out().println("to stop the running service and forget it, run:");
        out().println("  " + ctl + " stop zdm; " + ctl + " daemon-reload");
        out().flush();
        return ExitCodes.OK;
    }

    /** True if {@code file} starts with the marker line of 'zdm startup'. */
    static boolean ours(Path file) {
        try (var lines = Files.lines(file)) {
            return lines.findFirst().map(l -> l.startsWith(SystemdUnit.MARKER)).orElse(false);
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }
}
