package zdm.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a program by name on a PATH, as a shell would (the first executable regular file). Stateless. */
final class ProgramOnPath {
    private ProgramOnPath() {}

    /**
     * The program's path, or null when {@code name} (no '/') is on no directory of {@code path}; a
     * relative directory is the caller's, under {@code cwd} (the command may run in the daemon).
     */
    static Path find(String name, String path, Path cwd) {
        if (path == null || name.isEmpty() || name.contains("/")) return null;
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) continue;
            Path candidate = cwd.resolve(dir).resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }
}
