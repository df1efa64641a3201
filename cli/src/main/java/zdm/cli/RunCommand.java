package zdm.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import zdm.config.ConfigError;
import zdm.config.EcosystemLoader;
import zdm.config.LoadResult;
import zdm.daemon.DaemonMain;
import zdm.daemon.ForegroundRun;

@Command(name = "run", mixinStandardHelpOptions = true,
        header = "Run the daemon and an ecosystem file's apps in the foreground (a container's entrypoint).",
        description = {"Every app's output goes to stdout/stderr as 'app[worker] line'. SIGTERM or SIGINT stops"
                + " every app gracefully, then zdm exits: 0, or 1 if an app was errored. Other zdm commands"
                + " (ls, reload, logs...) reach it through its socket as usual. Orphaned processes are reaped."},
        footer = {"", "Example (Dockerfile):", "  ENTRYPOINT [\"/opt/zdm/bin/zdm\", \"run\", \"/app/ecosystem.yaml\"]"})
final class RunCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "<ecosystem.yaml>", description = "The apps to run.")
    Path file;

    @Option(names = "--no-auto-exit",
            description = "Keep running when no worker runs or will restart any more (all stopped or errored);"
                    + " by default zdm run then exits.")
    boolean noAutoExit;

    @Override
    public Integer call() throws CliException {
        Path resolved = Path.of(System.getProperty("user.dir")).resolve(file).normalize();
        if (!Files.isRegularFile(resolved)) throw usage("ecosystem file " + resolved + " does not exist");
        LoadResult.Loaded loaded = switch (EcosystemLoader.loadFile(resolved)) {
            case LoadResult.Loaded ok -> ok;
            case LoadResult.Invalid inv -> throw new CliException(ExitCodes.USAGE,
                    inv.errors().size() == 1 ? inv.errors().getFirst().format()
                            : inv.errors().size() + " problems in the configuration; nothing was started",
                    inv.errors().size() == 1 ? List.of() : inv.errors().stream().map(ConfigError::format).toList(), null);
        };
        // As 'zdm start' does: the pm2 options that were dropped, before anything else.
        loaded.warnings().forEach(w -> err().println("warning: " + w));
        out().flush();
        err().flush();
        // The daemon writes from many threads; PrintStreams on the real descriptors, flushed per batch.
        var stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        var stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        return DaemonMain.runForeground(root.context().paths(), new ForegroundRun(loaded.apps(), loaded.metrics(), loaded.dashboard(), stdout, stderr, !noAutoExit));
    }
}
