package zdm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * pm2's log file keys at their edges: log_file as a path, an empty path, and files the user cannot create or
 * append to (those two need a user other than root, who may write anywhere: the CI's non-root group runs them).
 * Written against PIT's survivors and uncovered mutants in LogFileRules.
 */
class LogFileEdgesTest extends EcoDirTest {
    @BeforeEach
    void setUp() {
        eco.script("app.js");
    }

    private EcoDir with(String... lines) {
        return eco.web(lines);
    }

    @Test
    void logFileAsAPathIsBothStreamsInThatFile() {
        var files = with("log_file: logs/all.log").app().logs().logFiles();
        assertEquals(tmp.resolve("logs/all.log").toString(), files.combined());
        assertNull(files.out());
        assertNull(files.err());
    }

    @Test
    void logFileFalseIsNoFile() {
        assertNull(with("log_file: false").app().logs().logFiles());
    }

    @Test
    void anEmptyLogPathIsRefused() {
        assertEquals(List.of("eco:4:15: apps[0].out_file: must not be empty; give a file path, or /dev/null"),
                with("out_file: \" \"").errors());
    }

    @Test
    @Tag("non-root")
    void aLogFileInADirectoryTheUserCannotWriteIsRefused() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root may create a file in any directory");
        var locked = eco.mkdir("locked");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        assertEquals(List.of("eco:4:15: apps[0].out_file: cannot create $DIR/locked/out.log: $DIR/locked is not writable by "
                        + System.getProperty("user.name") + "; choose another path, or /dev/null"),
                with("out_file: locked/out.log").errors());
    }

    @Test
    @Tag("non-root")
    void aLogFileTheUserCannotAppendToIsRefused() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root may append to any file");
        var file = eco.script("readonly.log");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        assertEquals(List.of("eco:4:15: apps[0].out_file: cannot append to $DIR/readonly.log: not writable by "
                        + System.getProperty("user.name")),
                with("out_file: readonly.log").errors());
    }

    @Test
    void anExistingWritableLogFileIsKept() {
        eco.script("existing.log");
        assertEquals(tmp.resolve("existing.log").toString(), with("out_file: existing.log").app().logs().logFiles().out());
    }
}
