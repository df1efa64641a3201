package zdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The recipes docs/configuration.md shows are the files RealServersMatrixIntegrationTest runs: every block
 * captioned `docs/recipes/...`: is that file, byte for byte, and every recipe file of a stack the matrix runs is shown
 * or named.
 */
class RecipesDocTest {
    private static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs/recipes"))) return p;
        }
        throw new AssertionError("docs/recipes not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void everyShownRecipeIsTheFileTheMatrixRuns() throws Exception {
        var root = root();
        var lines = Files.readAllLines(root.resolve("docs/configuration.md"));
        var shown = new ArrayList<String>();
        for (int i = 0; i < lines.size(); i++) {
            var line = lines.get(i);
            if (!line.startsWith("`docs/recipes/") || !line.endsWith("`:")) continue;
            String file = line.substring(1, line.length() - 2);
            assertTrue(lines.get(i + 1).isEmpty() && lines.get(i + 2).startsWith("```"), "a code block follows " + line);
            var body = new StringBuilder();
            int j = i + 3;
            for (; !lines.get(j).equals("```"); j++) body.append(lines.get(j)).append('\n');
            assertEquals(Files.readString(root.resolve(file)), body.toString(), file + " as shown in docs/configuration.md");
            shown.add(file);
            i = j;
        }
        assertTrue(shown.size() >= 15, "the recipes are shown: " + shown);
        String doc = String.join("\n", lines);
        List<Path> files;
        try (var walk = Files.walk(root.resolve("docs/recipes"))) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            String rel = root.relativize(f).toString();
            assertTrue(shown.contains(rel) || doc.contains(rel), rel + " is neither shown nor named in docs/configuration.md");
        }
    }
}
