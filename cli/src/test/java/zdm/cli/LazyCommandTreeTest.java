package zdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import zdm.protocol.Paths;

/**
 * The CLI builds only the subcommand it runs ({@link Cli#commandLineFor}); that tree must behave as
 * the full one: every subcommand is found by its name and aliases, and each one's help is the same.
 */
class LazyCommandTreeTest {
    private final CliContext context = new CliContext(new Paths(Path.of("/nonexistent/zdm-home")), DaemonStarter.NEVER);
    private final PrintWriter quiet = new PrintWriter(Writer.nullWriter());

    @Test
    void everySubcommandOfTheFullTreeIsBuiltAloneWithTheSameHelp() {
        CommandLine full = Cli.commandLine(context, quiet, quiet);
        int checked = 0;
        for (var entry : full.getSubcommands().entrySet()) {
            String name = entry.getKey();
            if (name.equals("help") || name.equals("completion")) continue; // these work on the whole tree
            CommandLine lazy = Cli.commandLineFor(new String[] {name}, context, quiet, quiet);
            assertEquals(1, distinct(lazy), name + " should be built alone");
            CommandLine sub = lazy.getSubcommands().get(name);
            assertNotNull(sub, name + " missing from its lazy tree");
            assertEquals(entry.getValue().getUsageMessage(), sub.getUsageMessage(), "help of " + name);
            assertEquals("zdm " + entry.getValue().getCommandName(), sub.getCommandSpec().qualifiedName());
            checked++;
        }
        assertEquals(full.getSubcommands().size() - 2, checked); // every name and alias, but help and completion
    }

    /** Commands in the tree under its root: an alias is a second key for the same CommandLine. */
    private static long distinct(CommandLine root) {
        return root.getSubcommands().values().stream().distinct().count();
    }

    @Test
    void optionsFirstHelpAndUnknownWordsGetTheFullTree() {
        long all = distinct(Cli.commandLine(context, quiet, quiet));
        for (String first : new String[] {"--help", "--debug", "help", "completion", "lss", ""}) {
            assertNull(Cli.subcommandNamed(first), first);
            assertEquals(all, distinct(Cli.commandLineFor(new String[] {first, "ls"}, context, quiet, quiet)), first);
        }
        assertEquals(all, distinct(Cli.commandLineFor(new String[0], context, quiet, quiet)));
    }

    @Test
    void aSubcommandRunsThroughTheLazyTreeWithItsParentContext() {
        // version never starts a daemon and reaches the context through @ParentCommand.
        var run = CliRun.run(context, "version");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("zdm " + Version.VERSION + "\n", run.out());
    }
}
