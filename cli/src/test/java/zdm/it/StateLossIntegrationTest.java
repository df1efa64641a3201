package zdm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A state the daemon could not use is never lost silently: the next command says so, and so does the first event. */
@ExtendWith(ZdmHomes.class)
class StateLossIntegrationTest {
    ZdmHome z;

    @BeforeEach
    void setUp(ZdmHome home) throws Exception {
        z = home;
        z.ecosystem("""
                apps:
                  - name: a
                    command: sleep 1000
                    min_uptime: 200ms
                    env: { ZDM_TEST_TAG: ${TAG} }
                """);
        z.ok("start", "ecosystem.yaml");
        z.ok("kill");
    }

    @Test
    void anEmptiedDatabaseIsReportedByTheNextCommand() throws Exception {
        Files.write(z.paths().database(), new byte[0]);
        Files.deleteIfExists(z.home.resolve("zdm.db-wal"));
        assertReported("was empty (0 bytes)", "zdm.db.empty-");
    }

    @Test
    void aGarbageDatabaseIsReportedByTheNextCommand() throws Exception {
        Files.writeString(z.paths().database(), "not a database, just bytes someone wrote\n".repeat(100));
        Files.deleteIfExists(z.home.resolve("zdm.db-wal"));
        assertReported("was damaged (", "zdm.db.corrupt-");
    }

    private void assertReported(String what, String asidePrefix) throws Exception {
        var r = z.ok("ls");
        var lines = r.err().lines().filter(l -> l.contains("zdm state")).toList();
        assertEquals(1, lines.size(), r.toString());
        String line = lines.getFirst();
        assertTrue(line.startsWith("zdm: the zdm state " + z.paths().database() + " " + what), line);
        String aside;
        try (var files = Files.list(z.home)) {
            aside = files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(asidePrefix) && !n.endsWith("-wal")
                    && !n.endsWith("-shm")).findFirst().orElseThrow(() -> new AssertionError("nothing moved aside: " + r));
        }
        assertTrue(line.contains("moved to " + z.home.resolve(aside)), line);
        assertTrue(r.out().contains("no apps") || !r.out().contains(" a "), r.out());
        // Said once: the next command is quiet about it.
        assertFalse(z.ok("ls").err().contains("zdm state"));
        assertEquals("state-lost", firstEventKind(), "the first event of the new store");
    }

    /** The kind of the oldest event that `zdm events` prints (its lines name the kind). */
    private String firstEventKind() {
        var lines = z.ok("events", "-n", "100").out().lines().toList();
        return lines.stream().filter(l -> l.contains("state-lost") || l.contains("daemon-started")).findFirst()
                .map(l -> l.contains("state-lost") ? "state-lost" : "daemon-started").orElse("none in " + lines);
    }
}
