package zdm.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which program runs a script when the app names no interpreter, by the script's extension.
 * Stateless. Keep in sync with the table in docs/configuration.md.
 */
final class Interpreters {

    /**
     * How to run a script: {@code program + interpreter_args + beforeScript + script}. The split
     * exists for Java: {@code java -Xmx1g -jar app.jar} works, {@code java -jar -Xmx1g app.jar} does not.
     */
    record Interpreter(List<String> program, List<String> beforeScript) {}

    private static final Map<String, Interpreter> BY_EXTENSION = Map.of(
            "js", new Interpreter(List.of("node"), List.of()),
            "mjs", new Interpreter(List.of("node"), List.of()),
            "cjs", new Interpreter(List.of("node"), List.of()),
            "py", new Interpreter(List.of("python3"), List.of()),
            "jar", new Interpreter(List.of("java"), List.of("-jar")),
            "java", new Interpreter(List.of("java"), List.of()),
            "sh", new Interpreter(List.of("sh"), List.of()));

    private Interpreters() {}

    /** The interpreter for the script's file name, or empty: run the script itself. */
    static Optional<Interpreter> forScript(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot <= 0) return Optional.empty();
        return Optional.ofNullable(BY_EXTENSION.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT)));
    }
}
