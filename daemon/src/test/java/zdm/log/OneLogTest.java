package zdm.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The daemon logs one way, through {@link DaemonLog} (docs/architecture.md, zdm.log): a {@code System.Logger}
 * or {@code java.util.logging} call writes two lines in another format, drops the debug level and loads
 * classes of its own, so none is left in the daemon's or the CLI's sources.
 */
class OneLogTest {
    private static final List<Path> SOURCES = List.of(Path.of("src/main/java"), Path.of("../cli/src/main/java"));
    private static final Pattern COMMENT = Pattern.compile("(?s)/\\*.*?\\*/|//[^\n]*");
    private static final Pattern OTHER_LOGGER = Pattern.compile("System\\s*\\.\\s*(getLogger|Logger)\\b|java\\.util\\.logging");

    @Test
    void noSourceLogsAroundDaemonLog() throws IOException {
        var found = new ArrayList<String>();
        int files = 0;
        for (Path dir : SOURCES) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path f : all.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    var m = OTHER_LOGGER.matcher(COMMENT.matcher(Files.readString(f)).replaceAll(" "));
                    while (m.find()) found.add(f.getFileName() + ": " + m.group());
                }
            }
        }
        assertTrue(files > 200, "sources read: " + files);
        assertEquals(List.of(), found);
    }
}
