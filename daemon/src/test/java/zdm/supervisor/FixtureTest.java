package zdm.supervisor;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh {@link SupervisorFixture} in a temporary home for each test. */
abstract class FixtureTest {
    @TempDir Path home;
    SupervisorFixture f;

    @BeforeEach
    void createFixture() throws Exception {
        f = new SupervisorFixture(home);
    }

    @AfterEach
    void closeFixture() {
        f.close();
    }
}
