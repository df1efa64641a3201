package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pm2 .json files of odd shapes (no mapping at the top, apps: not a list, an app that is not a mapping, a
 * dotted script name, a program on PATH with its own cwd), from PIT's survivors in Pm2Compat. Each is either
 * one clear problem or the app pm2 would run.
 */
class Pm2EdgesTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(tmp.resolve("server.js"), "// test\n");
    }

    private LoadResult load(String json) throws IOException {
        return EcosystemLoader.loadFile(Files.writeString(tmp.resolve("ecosystem.json"), json));
    }

    private List<String> errors(String json) throws IOException {
        return assertInstanceOf(LoadResult.Invalid.class, load(json)).errors().stream().map(ConfigError::format)
                .map(e -> e.substring(e.indexOf(": ") + 2)).toList();
    }

    private LoadResult.Loaded loaded(String json) throws IOException {
        return assertInstanceOf(LoadResult.Loaded.class, load(json));
    }

    @Test
    void aFileThatIsNotAMappingIsOneProblem() throws IOException {
        var errors = errors("42");
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.getFirst().contains("got"), errors.toString());
    }

    @Test
    void appsThatAreNotAListOrAnAppThatIsNotAMappingIsOneProblem() throws IOException {
        assertEquals(List.of("apps: expected a non-empty list of apps, got 5"), errors("{\"apps\": 5}"));
        var errors = errors("{\"apps\": [5]}");
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.getFirst().startsWith("apps[0]: expected a mapping"), errors.toString());
    }

    @Test
    void metricsBesideAppsIsKept() throws IOException {
        var r = loaded("{\"apps\": [{\"name\": \"web\", \"script\": \"server.js\"}], \"metrics\": 9311}");
        assertEquals(new MetricsSetting.Listen("127.0.0.1", 9311), r.metrics());
        assertEquals(List.of(), r.warnings());
    }

    /** env.PORT that is not a number is the app's own variable, not its port: the app loads as written. */
    @Test
    void aPortInEnvThatIsNotANumberStaysInEnv() throws IOException {
        var r = loaded("{\"apps\": [{\"name\": \"web\", \"script\": \"server.js\", \"env\": {\"PORT\": \"http\"}}]}");
        assertEquals(List.of(), r.warnings());
        assertEquals(1, r.apps().size());
    }

    @Test
    void forkModeIsNotClusterMode() throws IOException {
        var fork = loaded("{\"apps\": [{\"name\": \"web\", \"script\": \"server.js\", \"exec_mode\": \"fork\", \"port\": 3000}]}");
        var plain = loaded("{\"apps\": [{\"name\": \"web\", \"script\": \"server.js\", \"port\": 3000}]}");
        assertEquals(plain.apps(), fork.apps());
    }

    /** pm2 names an app after its script: the name of ".hidden.js" is ".hidden", not "". */
    @Test
    void aScriptWhoseNameStartsWithADotKeepsTheDotInTheAppName() throws IOException {
        Files.writeString(tmp.resolve(".hidden"), "// test\n");
        var r = load("{\"apps\": [{\"script\": \".hidden\", \"interpreter\": \"node\"}]}");
        String shown = r instanceof LoadResult.Loaded l ? l.apps().getFirst().name()
                : ((LoadResult.Invalid) r).errors().toString();
        assertTrue(shown.contains(".hidden"), shown);
    }

    @Test
    void aProgramOnPathIsLookedForInTheAppsOwnCwd() throws IOException {
        Files.createDirectories(tmp.resolve("sub"));
        Files.writeString(tmp.resolve("sub/tool"), "#!/bin/sh\n");
        tmp.resolve("sub/tool").toFile().setExecutable(true);
        // "tool" is a file in sub/, the app's cwd: a script, so not run as command: tool from PATH.
        var r = loaded("{\"apps\": [{\"name\": \"t\", \"script\": \"tool\", \"cwd\": \"sub\"}]}");
        assertEquals(List.of(), r.warnings());
        var onPath = loaded("{\"apps\": [{\"name\": \"s\", \"script\": \"sleep\", \"cwd\": \"sub\", \"args\": \"9\"}]}");
        assertEquals(1, onPath.warnings().size(), onPath.warnings().toString());
        assertTrue(onPath.warnings().getFirst().contains("run as command: sleep"), onPath.warnings().toString());
    }
}
