package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A YAML form the other tests do not write: a merge key with a list of mappings. Written against PIT's
 * uncovered mutants in YamlReader.
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
}
