package zdm.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import zdm.protocol.Request;

@Command(name = "scale", mixinStandardHelpOptions = true,
        header = "Change the number of an app's workers.",
        footer = {"", "Example:", "  zdm scale web 4"})
final class ScaleCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "<app>", completionCandidates = AppCandidates.class, description = "The app's name.")
    String app;

    @Parameters(index = "1", paramLabel = "<N>", description = "The new number of workers, 1 to " + InlineAppOptions.MAX_INSTANCES + ".")
    int instances;

    @Override
    public Integer call() throws CliException {
        if (instances < 1 || instances > InlineAppOptions.MAX_INSTANCES) {
            throw usage("<N> must be between 1 and " + InlineAppOptions.MAX_INSTANCES + ", got " + instances);
        }
        return printResult(send(new Request.Scale(app, instances)));
    }
}
