package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a pm2 .config.js is evaluated, each case one short node run: in the caller's environment and with the
 * node on the caller's PATH (an nvm user's), the line of node's error that helps, the 1 MiB bound of its JSON,
 * and an interrupted load. (The time bound is NodeEvalBoundsTest's and NodeEvalTimeoutTest's.) Written against PIT's
 * survivors and uncovered mutants in NodeEval.
 */
class NodeEvalEdgesTest {
    @TempDir
    Path dir;

    @BeforeEach
    void nodeIsInstalled() throws Exception {
        assumeTrue(new ProcessBuilder("node", "--version").start().waitFor(30, TimeUnit.SECONDS), "node is needed");
    }

    private Path configJs(String js) throws Exception {
        return Files.writeString(dir.resolve("ecosystem.config.js"), js);
    }

    private String error(LoadResult result) {
        var errors = assertInstanceOf(LoadResult.Invalid.class, result).errors();
        assertEquals(1, errors.size(), errors.toString());
        return errors.getFirst().message();
    }

    /** The file sees the caller's variables, and only them (not the daemon's own, such as its HOME). */
    @Test
    void theFileIsEvaluatedInTheCallersEnvironmentOnly() throws Exception {
        var file = configJs("module.exports = { apps: [{ name: 'a', script: 'a.js', env: {"
                + " SEEN: process.env.GREETING, HOME_SEEN: String(process.env.HOME) } }] };\n");
        Files.writeString(dir.resolve("a.js"), "");
        var loaded = assertInstanceOf(LoadResult.Loaded.class,
                EcosystemLoader.loadFile(file, null, Map.of("GREETING", "hi", "PATH", System.getenv("PATH"))));
        assertEquals(Map.of("SEEN", "hi", "HOME_SEEN", "undefined"), loaded.apps().getFirst().process().env());
    }

    /** The first node on the caller's PATH evaluates the file, not the one the daemon's PATH finds. */
    @Test
    void theNodeOnTheCallersPathEvaluatesTheFile() throws Exception {
        var bin = Files.createDirectories(dir.resolve("callers-bin"));
        var fakeNode = Files.writeString(bin.resolve("node"),
                "#!/bin/sh\necho '{\"apps\": [{\"name\": \"from-callers-node\", \"script\": \"a.js\"}]}'\n");
        Files.setPosixFilePermissions(fakeNode, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("a.js"), "");
        var file = configJs("module.exports = { apps: [{ name: 'from-real-node', script: 'a.js' }] };\n");
        var loaded = assertInstanceOf(LoadResult.Loaded.class, EcosystemLoader.loadFile(file, null,
                Map.of("PATH", dir.resolve("no-such-dir") + ":" + bin + ":" + System.getenv("PATH"))));
        assertEquals("from-callers-node", loaded.apps().getFirst().name());
    }

    /** A caller's PATH without node: the node the daemon's PATH finds. */
    @Test
    void aCallersPathWithoutNodeFallsBackToTheDaemonsNode() throws Exception {
        Files.writeString(dir.resolve("a.js"), "");
        var file = configJs("module.exports = { apps: [{ name: 'from-real-node', script: 'a.js' }] };\n");
        var loaded = assertInstanceOf(LoadResult.Loaded.class,
                EcosystemLoader.loadFile(file, null, Map.of("PATH", dir.resolve("no-such-dir").toString())));
        assertEquals("from-real-node", loaded.apps().getFirst().name());
    }

    /** node prints what the file printed and the stack around the error: the error line is the one shown. */
    @Test
    void theErrorLineOfNodesOutputIsShown() throws Exception {
        var file = configJs("console.error('loading the apps');\nthrow new Error('no apps today');\n");
        assertEquals("node could not load it: Error: no apps today", error(EcosystemLoader.loadFile(file)));
    }

    @Test
    void withoutAnErrorLineTheFirstLineIsShown() throws Exception {
        var file = configJs("process.stderr.write('\\n  the config is broken\\nsecond line\\n');\nprocess.exit(3);\n");
        assertEquals("node could not load it: the config is broken", error(EcosystemLoader.loadFile(file)));
    }

    @Test
    void aFailureWithNothingOnStderrSaysSo() throws Exception {
        var file = configJs("process.exit(3);\n");
        assertEquals("node could not load it: exit code non-zero, nothing on stderr", error(EcosystemLoader.loadFile(file)));
    }

    /** The JSON form may be 1 MiB exactly (what a YAML file may be); one byte more is refused. */
    @Test
    void theJsonFormMayBeOneMebibyte() throws Exception {
        Files.writeString(dir.resolve("a.js"), "");
        String shell = "{\"apps\":[{\"name\":\"a\",\"script\":\"a.js\",\"env\":{\"FILL\":\"\"}}]}";
        int fill = EcosystemLoader.MAX_FILE_BYTES - shell.length();
        var exact = configJs("module.exports = { apps: [{ name: 'a', script: 'a.js', env: { FILL: 'x'.repeat(" + fill + ") } }] };\n");
        var result = EcosystemLoader.loadFile(exact);
        if (result instanceof LoadResult.Invalid invalid) {
            assertTrue(invalid.errors().stream().noneMatch(e -> e.message().contains("larger than 1 MiB")), invalid.errors().toString());
        }
        var over = configJs("module.exports = { apps: [{ name: 'a', script: 'a.js', env: { FILL: 'x'.repeat(" + (fill + 1) + ") } }] };\n");
        assertEquals("its JSON form is larger than 1 MiB", error(EcosystemLoader.loadFile(over)));
    }

    /** A load interrupted while node runs ends with one line, and the thread stays interrupted for its caller. */
    @Test
    void anInterruptedLoadEndsAndKeepsTheInterrupt() throws Exception {
        var file = configJs("const end = Date.now() + 3000; while (Date.now() < end) {}\nmodule.exports = { apps: [] };\n");
        var result = new java.util.concurrent.atomic.AtomicReference<LoadResult>();
        var stillInterrupted = new java.util.concurrent.atomic.AtomicBoolean();
        var loader = Thread.ofPlatform().start(() -> {
            result.set(EcosystemLoader.loadFile(file));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        Thread.sleep(300);
        loader.interrupt();
        loader.join(TimeUnit.SECONDS.toMillis(30));
        assertEquals("interrupted while node was loading it", error(result.get()));
        assertTrue(stillInterrupted.get(), "the interrupt is kept");
    }
}
