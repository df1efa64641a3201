package zdm.protocol;

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
import zdm.test.Sources;

/**
 * The protocol is what the CLI and the daemon share, so it names no other zdm package: the CLI must not
 * load the daemon's config, supervisor or store classes to read an answer. Checked in the compiled classes
 * (every class a protocol class refers to is in its constant pool, fully qualified names included).
 */
class ProtocolBoundaryTest {
    private static final Pattern OTHER_ZDM_SOURCE = Pattern.compile("\\bzdm\\.(?!protocol\\b)[a-z]+\\.[A-Za-z0-9_.]+");
    private static final Path SOURCES = Path.of("src/main/java/zdm/protocol");
    private static final Pattern OTHER_ZDM_CLASS = Pattern.compile("zdm/(?!protocol/)[a-z]+/[A-Za-z0-9_$/]+");

    @Test
    void protocolClassesReferToNoOtherZdmPackage() throws IOException {
        Path dir = Path.of(Wire.class.getProtectionDomain().getCodeSource().getLocation().getPath(), "zdm", "protocol");
        var found = new ArrayList<String>();
        List<Path> classes;
        try (Stream<Path> files = Files.list(dir)) {
            // Only classes of a current source: a class file left by a deleted source (no clean build) is not shipped.
            classes = files.filter(f -> f.toString().endsWith(".class"))
                    .filter(f -> Files.exists(SOURCES.resolve(f.getFileName().toString().replaceAll("[$.].*", "") + ".java")))
                    .toList();
        }
        assertTrue(classes.size() >= 10, "protocol classes under " + dir + ": " + classes);
        for (Path c : classes) {
            // Class names in the constant pool are modified UTF-8; for ASCII names that is plain ISO-8859-1 text.
            var m = OTHER_ZDM_CLASS.matcher(new String(Files.readAllBytes(c), java.nio.charset.StandardCharsets.ISO_8859_1));
            while (m.find()) found.add(c.getFileName() + " -> " + m.group());
        }
        assertEquals(List.of(), found);
    }

    /** The source too: a constant of another package is copied into the class file, leaving no name there. */
    @Test
    void protocolSourcesNameNoOtherZdmPackage() throws IOException {
        var found = new ArrayList<String>();
        for (var source : Sources.below(List.of(SOURCES))) {
            var m = OTHER_ZDM_SOURCE.matcher(source.code());
            while (m.find()) found.add(source.fileName() + " -> " + m.group());
        }
        assertEquals(List.of(), found);
    }
}
