package zdm.supervisor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import zdm.protocol.ErrorKind;

/**
 * {@code zdm flush} of an app whose log file cannot be emptied (a directory is where the file should be) answers
 * FAILED with the app and the reason, flushes the others, and records no "flushed" event for the app it could not.
 */
class FlushFailureTest extends RequestTest {
    @Test
    void aLogThatCannotBeEmptiedFailsTheFlushNamingTheApp() throws Exception {
        f.start(SupervisorFixture.spec("web").build());
        f.start(SupervisorFixture.spec("api").build());
        var out = home.resolve("logs").resolve("web.out.log");
        Files.deleteIfExists(out);
        Files.createDirectory(out); // opening it for writing fails with EISDIR, also for root
        var failure = failed(askNow(s -> s.flush("all", UID)), ErrorKind.FAILED);
        assertTrue(failure.message().startsWith("cannot flush logs of web: "), failure.message());
        assertFalse(failure.message().contains("api"), failure.message());
        assertFalse(requested("web", "flushed"), f.events("web").toString());
        assertTrue(requested("api", "flushed"), "the other app's logs are flushed: " + f.events("api"));
    }
}
