package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pm2 .config.js that keeps node alive: the evaluation ends after its 10 s with one line naming the file. What node
 * started is killed with it, a detached child holding node's output included: NodeEvalTimeoutTest, with a bound of 2 s.
 */
class NodeEvalBoundsTest {
    @TempDir
    Path dir;

    private LoadResult.Invalid loadWithin15s(String name, String js) throws Exception {
        assumeTrue(new ProcessBuilder("node", "--version").start().waitFor(30, TimeUnit.SECONDS), "node is needed");
        var file = Files.writeString(dir.resolve(name), js);
        long t0 = System.nanoTime();
        var r = assertInstanceOf(LoadResult.Invalid.class, EcosystemLoader.loadFile(file));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 15_000, "took " + ms + " ms");
        assertEquals(1, r.errors().size(), r.errors().toString());
        String line = r.errors().getFirst().format();
        assertTrue(line.contains(name) && !line.contains("\n"), line);
        return r;
    }

    @Test
    void aLiveTimerAtTheTopLevelFailsWithinFifteenSeconds() throws Exception {
        var r = loadWithin15s("timer.config.js",
                "setInterval(() => {}, 1000);\nmodule.exports = { apps: [{ name: 'a', script: 'a.js' }] };\n");
        assertTrue(r.errors().getFirst().format().contains("within 10 s"), r.errors().toString());
    }
}
