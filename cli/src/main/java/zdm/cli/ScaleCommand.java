package zdm.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import zdm.protocol.Request;
import zdm.protocol.Response;

@Command(name = "scale", mixinStandardHelpOptions = true,
        header = "Change the number of an app's workers.",
        description = "<count> is N (the number of workers), or +N / -N to add or remove workers, as in pm2.",
        footer = {"", "Examples:", "  zdm scale web 4", "  zdm scale web +1", "  zdm scale web -1"})
final class ScaleCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "<app>", completionCandidates = AppCandidates.class, description = "The app's name.")
    String app;

    @Parameters(index = "1", paramLabel = "<count>", description = "The new number of workers, 1 to "
            + InlineAppOptions.MAX_INSTANCES + ", or a change of the current number.")
    String count;

    @Override
    public Integer call() throws CliException {
        if (!count.matches("[+-]?\\d{1,9}")) {
            throw usage("<count> must be a number of workers (4) or a change (+1, -1), got '" + count + "'");
        }
        boolean relative = count.startsWith("+") || count.startsWith("-");
        int n = Integer.parseInt(count);
        int instances = relative ? current() + n : n;
        if (instances < 1 || instances > InlineAppOptions.MAX_INSTANCES) {
            throw usage("the number of workers must be between 1 and " + InlineAppOptions.MAX_INSTANCES + ", got " + instances
                    + (relative ? " (" + current() + " " + count + ")" : ""));
        }
        return printResult(send(new Request.Scale(app, instances)));
    }

    /** The app's current number of workers, asked of the daemon. */
    private int current() throws CliException {
        if (!(send(new Request.Describe(app)) instanceof Response.Described d)) {
            throw new CliException(ExitCodes.FAILED, "unexpected answer from the daemon to scale");
        }
        return d.app().view().instances();
    }
}
