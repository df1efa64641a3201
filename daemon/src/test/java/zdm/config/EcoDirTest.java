package zdm.config;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of the config tests that load ecosystem files: a fresh {@link EcoDir} in a temp dir per test. */
abstract class EcoDirTest {
    @TempDir
    Path tmp;
    EcoDir eco;

    @BeforeEach
    final void newEcoDir() { // runs before a subclass's own @BeforeEach
        eco = new EcoDir(tmp);
    }
}
