package zdm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.jline.reader.LineReader;
import zdm.protocol.Paths;

/** The shell's history file, {@code <home>/shell_history}; JLine reads and appends it. Stateless. */
final class ShellHistory {
    private ShellHistory() {}

    /** The history file, created 0600 (lines may carry -e SECRET=...) in a 0700 home if missing. */
    static Path file(Paths paths) throws CliException {
        Path file = paths.home().resolve("shell_history");
        try {
            if (!Files.isDirectory(paths.home())) {
                Files.createDirectories(paths.home(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "cannot create the shell history " + file + ": " + e.getMessage()
                    + "; set ZDM_HOME to a writable directory", List.of(), e);
        }
        return file;
    }

    /** Writes what JLine has not written yet; a failure is reported, not fatal: the shell is ending anyway. */
    static void save(LineReader reader, PrintWriter out) {
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            out.println("zdm: could not save the shell history: " + e.getMessage());
        }
    }
}
