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
 * A pm2 .config.js that keeps node alive: the evaluation ends after its 10 s with one line naming the
 * file, and nothing node started is left running (a detached child holding node's stdout included).
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

    @Test
    void aDetachedChildHoldingStdoutFailsWithinFifteenSecondsAndIsKilled() throws Exception {
        var pidFile = dir.resolve("child.pid");
        var r = loadWithin15s("child.config.js", """
                const cp = require('child_process');
                const c = cp.spawn('sleep', ['300'], { detached: true, stdio: ['ignore', 'inherit', 'inherit'] });
                require('fs').writeFileSync(%s, String(c.pid));
                c.unref();
                module.exports = { apps: [{ name: 'a', script: 'a.js' }] };
                """.formatted("'" + pidFile + "'"));
        assertTrue(r.errors().getFirst().format().contains("killed"), r.errors().toString());
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) Thread.sleep(50);
        assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "the detached child " + pid + " is gone");
    }
}
