package zdm.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A test that assumes root, or assumes not root, is skipped on one side; CI runs both sides by tag
 * (bin/test runs the "non-root" group again as a user, see README). This checks every such
 * assumption in the test sources sits in a method or class tagged accordingly, so no new one is
 * silently skipped by every CI run.
 */
class UidTagsTest {
    /** An assumption on the uid: needs root, or needs not to be root. */
    private static final Pattern NEEDS_ROOT = Pattern.compile("assumeTrue\\(Posix\\.getuid\\(\\) == 0");
    private static final Pattern NEEDS_NON_ROOT = Pattern.compile(
            "assumeTrue\\(Posix\\.getuid\\(\\) != 0|assumeFalse\\(\"root\"\\.equals\\(System\\.getProperty\\(\"user\\.name\"\\)\\)");

    @Test
    void everyUidAssumptionIsTaggedForItsSide() throws IOException {
        var root = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(root.resolve("daemon/src/test/java"))) root = root.getParent();
        var problems = new ArrayList<String>();
        int found = 0;
        for (String module : List.of("daemon", "cli")) {
            try (var files = Files.walk(root.resolve(module + "/src/test/java"))) {
                for (var f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String src = Files.readString(f);
                    found += check(f, src, NEEDS_ROOT, "root", problems) + check(f, src, NEEDS_NON_ROOT, "non-root", problems);
                }
            }
        }
        assertTrue(found >= 2, "the uid assumptions were found (" + found + "): the patterns still match the tests");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** Counts the assumptions; for each, the enclosing method's annotations or the class's must carry the tag. */
    private static int check(Path file, String src, Pattern assumption, String tag, List<String> problems) {
        int count = 0;
        String annotation = "@org.junit.jupiter.api.Tag(\"" + tag + "\")";
        String shortAnnotation = "@Tag(\"" + tag + "\")";
        int classAt = src.indexOf("class " + file.getFileName().toString().replace(".java", ""));
        boolean classTagged = classAt > 0 && (src.substring(0, classAt).contains(annotation) || src.substring(0, classAt).contains(shortAnnotation));
        var m = assumption.matcher(src);
        while (m.find()) {
            count++;
            int method = src.lastIndexOf(" void ", m.start());
            int annotationsFrom = src.lastIndexOf("}", method);
            String head = src.substring(Math.max(annotationsFrom, 0), method);
            if (!classTagged && !head.contains(annotation) && !head.contains(shortAnnotation)) {
                String name = src.substring(method + 6, src.indexOf('(', method));
                problems.add(file.getFileName() + "#" + name + " assumes it runs as " + tag + " but is not tagged: add "
                        + annotation + " to the method, so that CI's " + tag + " run executes it (see README, Tests)");
            }
        }
        return count;
    }
}
