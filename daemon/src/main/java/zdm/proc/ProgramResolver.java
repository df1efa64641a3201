package zdm.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the file a worker's argv[0] names, the way execvp would, so a typo gives a clean one-line
 * message instead of a JDK stack trace. Thread-safe (stateless).
 */
final class ProgramResolver {
    private ProgramResolver() {}

    /**
     * @param program argv[0] as configured
     * @param cwd     the worker's working directory (relative names with '/' resolve against it)
     * @param env     the worker's full environment (its PATH is searched)
     * @param key     the config key to name in messages, e.g. "apps[web].command"
     */
    static Path resolve(String program, Path cwd, Map<String, String> env, String key) throws IOException {
        if (program == null || program.isBlank()) throw new IOException(key + " is empty: give the program to run");
        try {
            if (program.contains("/")) {
                Path p = (cwd == null ? Path.of(program).toAbsolutePath() : cwd.resolve(program)).normalize();
                if (!Files.exists(p)) throw new IOException("cannot run '" + program + "': " + p + " does not exist (" + key + ")");
                return requireExecutable(program, p, key);
            }
            String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
            Path notExecutable = null;
            for (String dir : path.split(":")) {
                if (dir.isEmpty()) continue;   // an empty entry means "cwd": too surprising for a daemon
                Path p = Path.of(dir).resolve(program);
                if (Files.isRegularFile(p)) {
                    if (Files.isExecutable(p)) return p.toAbsolutePath();
                    if (notExecutable == null) notExecutable = p;
                }
            }
            if (notExecutable != null) return requireExecutable(program, notExecutable, key);
            throw new IOException("cannot run '" + program + "': not found on PATH (" + key + ")");
        } catch (InvalidPathException e) {
            throw new IOException("cannot run '" + program + "': invalid path (" + key + ")");
        }
    }

    private static Path requireExecutable(String program, Path p, String key) throws IOException {
        if (Files.isDirectory(p)) throw new IOException("cannot run '" + program + "': " + p + " is a directory (" + key + ")");
        if (!Files.isExecutable(p)) {
            throw new IOException("cannot run '" + program + "': " + p + " is not executable; chmod +x it (" + key + ")");
        }
        return p.toAbsolutePath();
    }
}
