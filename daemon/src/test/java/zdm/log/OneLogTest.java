package zdm.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import zdm.test.Sources;

/**
 * The daemon logs one way, through {@link DaemonLog} (docs/architecture.md, zdm.log): a {@code System.Logger}
 * or {@code java.util.logging} call writes two lines in another format, drops the debug level and loads
 * classes of its own, so none is left in the daemon's or the CLI's sources.
 */
class OneLogTest {
    private static final List<Path> SOURCES = List.of(Path.of("src/main/java"), Path.of("../cli/src/main/java"));
    private static final Pattern OTHER_LOGGER = Pattern.compile("System\\s*\\.\\s*(getLogger|Logger)\\b|java\\.util\\.logging");

    @Test
    void noSourceLogsAroundDaemonLog() throws IOException {
        var found = new ArrayList<String>();
        var sources = Sources.below(SOURCES);
        for (var source : sources) {
            var m = OTHER_LOGGER.matcher(source.code());
            while (m.find()) found.add(source.fileName() + ": " + m.group());
        }
        assertTrue(sources.size() > 200, "sources read: " + sources.size());
        assertEquals(List.of(), found);
    }
}
