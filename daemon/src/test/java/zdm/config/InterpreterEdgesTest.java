package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which program runs a script without a known extension, as pm2 decides it: node for text with no {@code #!}
 * line (a dot file included: its name has no extension), the file itself for a binary. Written against PIT's
 * survivors and uncovered mutants in Interpreters.
 */
class InterpreterEdgesTest extends EcoDirTest {

    private List<String> commandOf(String script) {
        eco.yaml("apps:", "  - name: x", "    script: " + script);
        return eco.app().process().command();
    }

    @Test
    void textWithoutAHashBangLineRunsWithNode() {
        Path script = eco.script("bin/serve");
        assertEquals(List.of("node", script.toString()), commandOf("bin/serve"));
    }

    @Test
    void aDotFileHasNoExtensionAndItsTextRunsWithNode() {
        Path script = eco.script(".server");
        assertEquals(List.of("node", script.toString()), commandOf(".server"));
    }

    @Test
    void aBinaryWithoutExtensionRunsItself() throws Exception {
        Path binary = eco.executable("bin/tool");
        Files.write(binary, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0});
        assertEquals(List.of(binary.toString()), commandOf("bin/tool"));
    }
}
