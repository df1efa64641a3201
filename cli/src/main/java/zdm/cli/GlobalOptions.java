package zdm.cli;

import picocli.CommandLine.Option;

/** Options every command accepts; mixed into each command so they work before or after its name. */
public final class GlobalOptions {
    /** Read by {@link ErrorHandler} from the parse result, which is why nothing else uses the field. */
    @Option(names = "--debug", description = "Show the stack trace of an error.")
    boolean debug;
}
