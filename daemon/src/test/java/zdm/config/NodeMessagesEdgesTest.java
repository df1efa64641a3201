package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which commands run node, so that pm2's process.send('ready') (wait_ready) is honoured: a shell line that
 * starts node, and not a three-word command that merely mentions node. Written against PIT's survivors in
 * NodeMessages.runsNode.
 */
class NodeMessagesEdgesTest extends EcoDirTest {
    @BeforeEach
    void setUp() {
        eco.script("app.js");
        eco.executable("run.sh");
    }

    private LoadResult.Loaded load(String... lines) {
        var all = new java.util.ArrayList<>(List.of("apps:", "  - name: web"));
        for (var l : lines) all.add("    " + l);
        eco.yaml(all.toArray(String[]::new));
        return assertInstanceOf(LoadResult.Loaded.class, eco.load());
    }

    @Test
    void aShellLineThatStartsNodeGetsWaitReady() {
        var loaded = load("command: cd . && node app.js", "shell: true", "wait_ready: true");
        assertEquals(List.of(), loaded.warnings());
        assertInstanceOf(Readiness.Message.class, loaded.apps().getFirst().health().ready());
    }

    @Test
    void aShellLineWithoutNodeIgnoresWaitReadyWithAWarning() {
        var loaded = load("command: ./run.sh", "shell: true", "wait_ready: true");
        assertInstanceOf(Readiness.Uptime.class, loaded.apps().getFirst().health().ready());
        assertEquals(1, loaded.warnings().size(), loaded.warnings().toString());
        assertEquals(true, loaded.warnings().getFirst().endsWith("apps[0].wait_ready: ignored; \"/bin/sh\" is not node, so it"
                + " cannot process.send('ready'): the default readiness is used (ready: notify is how other programs say it)"),
                loaded.warnings().toString());
    }

    /** Three words that are not {@code /bin/sh -c line}: the program is the first word, whatever the others say. */
    @Test
    void aThreeWordCommandThatOnlyMentionsNodeIsNotNode() {
        for (var command : List.of("[/bin/sh, run.sh, node]", "[./run.sh, -c, node]")) {
            var loaded = load("command: " + command, "wait_ready: true");
            assertInstanceOf(Readiness.Uptime.class, loaded.apps().getFirst().health().ready(), command);
            assertEquals(1, loaded.warnings().size(), command + ": " + loaded.warnings());
        }
    }
}
