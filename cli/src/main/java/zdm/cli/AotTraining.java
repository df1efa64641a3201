package zdm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import zdm.protocol.Paths;

/**
 * The training run behind the CLI's AOT cache (JDK 25, JEP 483/514/515): bin/zdm runs this class once
 * per build with {@code -XX:AOTCacheOutput}, so the classes (and profiles) of the commands people run
 * most, help, version, ping, start, ls, describe, kill, are loaded and linked from the cache on every
 * later start instead of from the jars. Everything runs against a throwaway daemon in the home given
 * as the only argument, which is left empty of running processes at the end.
 *
 * <p>Exit code 0 when the daemon answered, so a cache is only kept from a run that trained the
 * client's whole round trip.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: AotTraining <empty zdm home for a throwaway daemon>");
            System.exit(ExitCodes.USAGE);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Path script = home.resolve("idle.sh");
        Files.createDirectories(home);
        Files.writeString(script, "exec sleep 600\n");
        var context = new CliContext(new Paths(home), new DaemonLauncher());
        var quiet = new PrintWriter(Writer.nullWriter());
        List<String[]> commands = List.of(
                new String[] {"--help"}, new String[] {"--version"}, new String[] {"version"},
                new String[] {"ls", "--help"}, new String[] {"nosuchcommand"},
                new String[] {"ping"},
                new String[] {"start", script.toString(), "--name", "idle", "--interpreter", "sh"},
                new String[] {"ls"}, new String[] {"ls", "--json"}, new String[] {"ping"}, new String[] {"version"},
                new String[] {"describe", "idle"}, new String[] {"describe", "nosuchapp"},
                new String[] {"stop", "idle"}, new String[] {"ls"});
        int pingCode = ExitCodes.DAEMON;
        try {
            for (String[] command : commands) {
                int code = Cli.run(context, command, quiet, quiet);
                if (command[0].equals("ping")) pingCode = code;
            }
            for (String[] command : List.of(new String[] {"ls"}, new String[] {"ls", "--json"}, new String[] {"ping"})) {
                FastPath.run(context.paths(), command, quiet, quiet); // its classes too (Main takes it first)
            }
        } finally {
            Cli.run(context, new String[] {"kill"}, quiet, quiet);
        }
        System.exit(pingCode);
    }
}
