package zdm.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private static final Interpreter NODE = new Interpreter(List.of("node"), List.of());

    /**
     * The interpreter for the script, or empty: run the script itself. By its extension; a directory,
     * and a text file without extension whose first line names no other program, run with node, as
     * pm2 does (so {@code script: node_modules/next/dist/bin/next} with node_args works).
     */
    static Optional<Interpreter> forScript(Path script) {
        if (Files.isDirectory(script)) return Optional.of(NODE);
        String fileName = script.getFileName().toString();
        int dot = fileName.lastIndexOf('.');
        if (dot > 0) return Optional.ofNullable(BY_EXTENSION.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT)));
        return isNodeText(script) ? Optional.of(NODE) : Optional.empty();
    }

    /** What node runs for a directory: its package.json's main, or its index.js. */
    static boolean isNodePackage(Path dir) {
        return Files.isRegularFile(dir.resolve("package.json")) || Files.isRegularFile(dir.resolve("index.js"));
    }

    /** Text with a {@code #!} line naming node, or with none; false for a binary or another interpreter's script. */
    private static boolean isNodeText(Path file) {
        byte[] head;
        try (var in = Files.newInputStream(file)) {
            head = in.readNBytes(512);
        } catch (IOException e) {
            return false; // reported when it is run
        }
        for (byte b : head) {
            if (b == 0) return false;
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        if (!text.startsWith("#!")) return true;
        int end = text.indexOf('\n');
        String shebang = end < 0 ? text : text.substring(0, end);
        return shebang.matches("#!.*[/ ]node(js)?\\s*(\\s.*)?");
    }
}
