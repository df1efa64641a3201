package zdm.proc;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to run for one worker. Thread-safe (immutable).
 *
 * @param command argv; the first element is the program, looked up on PATH unless it contains '/'
 * @param cwd     working directory, or null for the daemon's
 * @param env     the EXTRA variables (added to the daemon's environment, overriding same-named ones)
 */
public record SpawnSpec(String app, int workerId, List<String> command, Path cwd, Map<String, String> env) {
    public SpawnSpec {
        Objects.requireNonNull(app, "app");
        command = List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
    }
}
