package zdm.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Java sources below some folders, with comments blanked out: what the tests that hold the code to a
 * rule of its own read (no state compared as text, one way to log). One copy for both modules' tests.
 */
public final class Sources {
    private static final Pattern COMMENT = Pattern.compile("(?s)/\\*.*?\\*/|//[^\n]*");

    /** One source file: its path and its code without comments. */
    public record Source(Path path, String code) {
        public String fileName() {
            return path.getFileName().toString();
        }
    }

    private Sources() {}

    /** Every {@code .java} file below each of {@code dirs}, paths relative to the running module. */
    public static List<Source> below(List<Path> dirs) throws IOException {
        var out = new ArrayList<Source>();
        for (Path dir : dirs) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path f : all.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    out.add(new Source(f, COMMENT.matcher(Files.readString(f)).replaceAll(" ")));
                }
            }
        }
        return out;
    }
}
