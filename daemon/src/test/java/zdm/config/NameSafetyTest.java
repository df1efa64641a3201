package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An app name becomes file names under ZDM_HOME (logs/&lt;app&gt;.out.log, capture files): no name may
 * leave that directory or smuggle bytes into a path, from a file or from the command line.
 */
class NameSafetyTest extends EcoDirTest {
    static final String RULE = "use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";


    @BeforeEach
    void setUp() {
        eco.script("app.js");
    }

    @Test
    void slashesNulAndTraversalAreConfigErrorsWithPositions() {
        eco.yaml("apps:",
                "  - {name: a/b, script: app.js}",
                "  - {name: \"a\\0b\", script: app.js}",
                "  - {name: ../../x, script: app.js}",
                "  - {name: '..', script: app.js}",
                "  - {name: \"web\\n\", script: app.js}",
                "  - {name: '" + "x".repeat(10_000) + "', script: app.js}");
        var errors = eco.errors();
        assertEquals(6, errors.size(), errors.toString());
        assertEquals("eco:2:12: apps[0].name: invalid app name \"a/b\": " + RULE, errors.get(0));
        assertEquals(true, errors.get(1).startsWith("eco:3:12: apps[1].name: invalid app name \"a"), errors.get(1));
        assertEquals(false, errors.get(1).contains("\0"), "the NUL is not printed raw");
        assertEquals("eco:4:12: apps[2].name: invalid app name \"../../x\": " + RULE, errors.get(2));
        assertEquals("eco:5:12: apps[3].name: invalid app name \"..\": " + RULE, errors.get(3));
        assertEquals(true, errors.get(4).startsWith("eco:6:12: apps[4].name: invalid app name"), errors.get(4));
        assertEquals(true, errors.get(5).startsWith("eco:7:12: apps[5].name: invalid app name"), errors.get(5));
        errors.forEach(e -> assertEquals(false, e.contains("\n"), "one line: " + e));
        assertEquals(true, errors.get(5).length() < 400, "a 10000-character name is not echoed whole: " + errors.get(5).length());
    }

    @Test
    void inlineNamesFromTheCommandLineAreCheckedToo() {
        for (String bad : List.of("../x", "a/b", "/etc/passwd", ".", "a\0b")) {
            var result = EcosystemLoader.loadInline(Map.of("name", bad, "script", "app.js"), tmp);
            var invalid = assertInstanceOf(LoadResult.Invalid.class, result, bad);
            assertEquals(true, invalid.errors().getFirst().format().contains("invalid app name"), invalid.toString());
        }
    }
}
