package zdm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import zdm.protocol.Paths;

/**
 * The training run behind the CLI's AOT cache (JDK 25, JEP 483/514/515): bin/zdm runs this class once
 * per build with {@code -XX:AOTCacheOutput}, so the classes (and profiles) of the commands people run
 * most, help, version, ping, start, ls, describe, kill, are loaded and linked from the cache on every
 * later start instead of from the jars. Everything runs against a throwaway daemon in the home given
 * as the first argument, which is left empty of running processes at the end.
 *
 * <p>With a second argument, the same run also makes the daemon's class archive (issue 16, idle
 * footprint): the throwaway daemon starts with {@code -XX:AOTCacheOutput=} that file, does what a
 * daemon does in its first minute (an ecosystem file read, workers started, the fast path's commands
 * run by its command tree), and its JVM writes the archive as it exits, which this run waits for.
 * Every later daemon bin/zdm starts maps it ({@link DaemonLauncher#CACHE_PROPERTY}): its classes then
 * come from one archive trained on what a daemon uses, instead of the JDK's whole default archive
 * plus class metadata of their own (0.5-2 MiB less resident, docs/benchmarks.md). What the training
 * loaded and a daemon does not use would cost memory (the archive is mapped whole), so it trains the
 * common path only: no proxy, dashboard or metrics.
 *
 * <p>Exit code 0 when the daemon answered, so a cache is only kept from a run that trained the
 * client's whole round trip.
 */
public final class AotTraining {
    /** The daemon's JVM writes its archive as it exits: seconds, more on a busy machine. */
    private static final long DAEMON_EXIT_SECONDS = 120;

    private AotTraining() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: AotTraining <empty zdm home for a throwaway daemon> [<daemon archive to write>]");
            System.exit(ExitCodes.USAGE);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Optional<Path> archive = args.length == 2 ? Optional.of(Path.of(args[1]).toAbsolutePath()) : Optional.empty();
        Path script = home.resolve("idle.sh");
        Files.createDirectories(home);
        Files.writeString(script, "exec sleep 600\n");
        Path ecosystem = Files.writeString(home.resolve("ecosystem.yaml"), """
                apps:
                  - name: pair
                    script: %s
                    interpreter: sh
                    instances: 2
                """.formatted(script));
        var launcher = archive.map(a -> new DaemonLauncher(DaemonLauncher.trainingFlags(a))).orElseGet(DaemonLauncher::new);
        var context = new CliContext(new Paths(home), launcher);
        var quiet = new PrintWriter(Writer.nullWriter());
        List<String[]> commands = List.of(
                new String[] {"--help"}, new String[] {"--version"}, new String[] {"version"},
                new String[] {"ls", "--help"}, new String[] {"nosuchcommand"},
                new String[] {"ping"},
                new String[] {"start", script.toString(), "--name", "idle", "--interpreter", "sh"},
                new String[] {"ls"}, new String[] {"ls", "--json"}, new String[] {"ping"}, new String[] {"version"},
                new String[] {"describe", "idle"}, new String[] {"describe", "nosuchapp"},
                new String[] {"stop", "idle"}, new String[] {"ls"});
        // Run by the daemon's command tree, as bin/zdm's fast client has them (the client's side is small).
        List<String[]> fast = List.of(
                new String[] {"ls"}, new String[] {"ls", "--json"}, new String[] {"ping"},
                new String[] {"start", ecosystem.toString()}, new String[] {"describe", "pair"},
                new String[] {"logs", "pair", "-n", "20"}, new String[] {"events", "-n", "20"},
                new String[] {"help", "start"}, new String[] {"restart", "pair"}, new String[] {"stop", "pair"});
        int pingCode = ExitCodes.DAEMON;
        Optional<ProcessHandle> daemon = Optional.empty();
        try {
            for (String[] command : commands) {
                int code = Cli.run(context, command, quiet, quiet);
                if (command[0].equals("ping")) pingCode = code;
                if (daemon.isEmpty()) daemon = daemonProcess(context.paths());
            }
            for (String[] command : fast) {
                FastPath.run(context.paths(), command, quiet, quiet); // its classes too (Main takes it first)
            }
        } finally {
            Cli.run(context, new String[] {"kill"}, quiet, quiet);
        }
        if (archive.isPresent() && daemon.isPresent()) {
            daemon.get().onExit().completeOnTimeout(null, DAEMON_EXIT_SECONDS, TimeUnit.SECONDS).join();
        }
        System.exit(pingCode);
    }

    private static Optional<ProcessHandle> daemonProcess(Paths paths) {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(paths.pidFile()).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
