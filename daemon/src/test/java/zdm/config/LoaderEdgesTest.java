package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files the loader cannot use (missing, too large, a directory) and the key lists the docs check reads; from PIT's survivors. */
class LoaderEdgesTest {
    @TempDir
    Path tmp;

    private static List<String> problems(LoadResult r) {
        return assertInstanceOf(LoadResult.Invalid.class, r).errors().stream().map(ConfigError::format).toList();
    }

    @Test
    void aMissingFileOfEachKindIsFileNotFound() {
        for (var name : List.of("gone.yaml", "gone.json", "gone.config.js")) {
            var errors = problems(EcosystemLoader.loadFile(tmp.resolve(name)));
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.getFirst().endsWith("file not found"), errors.toString());
        }
    }

    @Test
    void aDirectoryNamedLikeAConfigJsIsNotARegularFile() throws IOException {
        var errors = problems(EcosystemLoader.loadFile(Files.createDirectories(tmp.resolve("odd.config.js"))));
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.getFirst().endsWith("is not a regular file"), errors.toString());
    }

    @Test
    void aFileOverTheLimitIsRefusedBeforeItIsRead() throws IOException {
        var big = tmp.resolve("big.yaml");
        try (var f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(EcosystemLoader.MAX_FILE_BYTES + 1L); // sparse: nothing is written
        }
        var errors = problems(EcosystemLoader.loadFile(big));
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.getFirst().contains("too large") || errors.getFirst().contains("MiB"), errors.toString());
    }

    @Test
    void theKeyListsForTheDocsCheckHoldTheKeys() {
        assertTrue(EcosystemLoader.topLevelKeys().containsAll(List.of("apps", "metrics", "dashboard")));
        assertTrue(EcosystemLoader.appKeys().containsAll(List.of("name", "script", "instances", "port")));
    }
}
