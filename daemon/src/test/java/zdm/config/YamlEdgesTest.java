package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * YAML forms the other tests do not write: a merge key with a list of mappings, and an error that Jackson
 * reports itself (not one of SnakeYAML's syntax errors). Written against PIT's uncovered mutants in YamlReader.
 */
class YamlEdgesTest extends EcoDirTest {

    /** As YAML's merge key means it: the mapping's own keys, then each listed mapping's, the earlier one winning. */
    @Test
    void aMergeKeyWithAListTakesTheKeysOfEachMappingInTurn() {
        eco.script("app.js");
        eco.yaml("apps:",
                "  - name: a",
                "    script: app.js",
                "    env: &first {A: one, B: one}",
                "  - name: b",
                "    script: app.js",
                "    env:",
                "      B: own",
                "      <<: [*first, {A: two, C: two}]");
        assertEquals(Map.of("A", "one", "B", "own", "C", "two"), eco.apps().get(1).process().env());
    }

    @Test
    void aKeyLongerThanJacksonReadsIsAnErrorAtItsLine() {
        eco.script("app.js");
        eco.yaml("apps:", "  - name: web", "    script: app.js", "    \"x\\ny\": 1");
        var errors = eco.errors();
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("XX", errors.getFirst());
    }
}
